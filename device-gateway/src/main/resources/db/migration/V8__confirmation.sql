-- issue 23, hawkBit's confirmation flow: an action whose command requires confirmation waits for the device's
-- "confirmed" (offered under confirmationBase, not deploymentBase) unless the device has auto-confirm on.
alter table device_action add column awaiting_confirmation boolean not null default false;
alter table device add column auto_confirm boolean not null default false;
alter table device add column auto_confirm_initiator varchar(200);
alter table device add column auto_confirm_remark varchar(1000);
alter table device add column auto_confirm_at timestamptz;
