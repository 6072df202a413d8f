-- issue 23: an action waiting for the device's confirmation ends EXPIRED at confirm_by (the rollout's
-- confirmationDeadline); null = no deadline but expires_at. The sweep finds the due ones through the index.
alter table device_action add column confirm_by timestamptz;
create index device_action_confirm_by on device_action (confirm_by)
    where confirm_by is not null and awaiting_confirmation and status = 'PENDING';
