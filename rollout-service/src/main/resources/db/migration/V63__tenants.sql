-- Tenants (ADR 0021, issue 23): every row of rollout data belongs to one tenant. The column arrives with the default
-- 'DEFAULT', which fills every existing row in place (an installation's data before tenants is DEFAULT's); keys of
-- what another service or a device chose (release ids, device ids) become per tenant, since two tenants' gw-1 are two
-- devices; rows that hang off a rollout are in its tenant; then the defaults go, so no statement can write a row
-- without naming its tenant. Ids this service generates (rollout UUIDs, action ids from action_id_seq) stay unique
-- across tenants, so the keys of the rollout's own tables stay as they are.
alter table release              add column tenant_id varchar(40) not null default 'DEFAULT';
alter table device               add column tenant_id varchar(40) not null default 'DEFAULT';
alter table rollout              add column tenant_id varchar(40) not null default 'DEFAULT';
alter table rollout_wave         add column tenant_id varchar(40) not null default 'DEFAULT';
alter table rollout_cohort       add column tenant_id varchar(40) not null default 'DEFAULT';
alter table wave_cohort          add column tenant_id varchar(40) not null default 'DEFAULT';
alter table rollout_device       add column tenant_id varchar(40) not null default 'DEFAULT';
alter table device_action        add column tenant_id varchar(40) not null default 'DEFAULT';
alter table command_dispatch     add column tenant_id varchar(40) not null default 'DEFAULT';
alter table health_gate_figures  add column tenant_id varchar(40) not null default 'DEFAULT';
alter table health_gate_baseline add column tenant_id varchar(40) not null default 'DEFAULT';
alter table health_gate_verdict  add column tenant_id varchar(40) not null default 'DEFAULT';
alter table rollout_history      add column tenant_id varchar(40) not null default 'DEFAULT';
alter table device_history       add column tenant_id varchar(40) not null default 'DEFAULT';

-- the release catalog per tenant: a rollout names a release of its own tenant (the database refuses anything else)
alter table rollout drop constraint rollout_release_id_fkey;
alter table rollout drop constraint rollout_rollback_release_id_fkey;
alter table release drop constraint release_pkey;
alter table release add primary key (tenant_id, release_id);
alter table rollout add constraint rollout_release_tenant
    foreign key (tenant_id, release_id) references release (tenant_id, release_id);
-- (null until a rollback release is named; a composite key with a null is not checked)
alter table rollout add constraint rollout_rollback_release_tenant
    foreign key (tenant_id, rollback_release_id) references release (tenant_id, release_id);

-- the inventory per tenant: device ids repeat across tenants
alter table device drop constraint device_pkey;
alter table device add primary key (tenant_id, device_id);
drop index device_model_revision;
create index device_model_revision on device (tenant_id, model, revision);
drop index device_version_key;
create index device_version_key on device (tenant_id, version_key);

-- a rollout's listings are per tenant, newest first
alter table rollout add constraint rollout_tenant_id unique (tenant_id, id);
drop index rollout_created;
create index rollout_created on rollout (tenant_id, created_at, id);
drop index rollout_release_created;
create index rollout_release_created on rollout (tenant_id, release_id, created_at, id);

-- a row that hangs off a rollout is in its rollout's tenant: the database refuses anything else. (rollout_device and
-- device_action, a row per device of a rollout, have had no foreign key since V54 — a trigger per inserted row — and
-- take the tenant of the rollout whose statement writes them.)
alter table rollout_wave drop constraint rollout_wave_rollout_id_fkey;
alter table rollout_wave add constraint rollout_wave_rollout_tenant
    foreign key (tenant_id, rollout_id) references rollout (tenant_id, id);
alter table rollout_cohort drop constraint rollout_cohort_rollout_id_fkey;
alter table rollout_cohort add constraint rollout_cohort_rollout_tenant
    foreign key (tenant_id, rollout_id) references rollout (tenant_id, id);
alter table wave_cohort drop constraint wave_cohort_rollout_id_fkey;
alter table wave_cohort add constraint wave_cohort_rollout_tenant
    foreign key (tenant_id, rollout_id) references rollout (tenant_id, id);
alter table command_dispatch drop constraint command_dispatch_rollout_id_fkey;
alter table command_dispatch add constraint command_dispatch_rollout_tenant
    foreign key (tenant_id, rollout_id) references rollout (tenant_id, id);
alter table health_gate_figures drop constraint health_gate_figures_rollout_id_fkey;
alter table health_gate_figures add constraint health_gate_figures_rollout_tenant
    foreign key (tenant_id, rollout_id) references rollout (tenant_id, id);
alter table health_gate_baseline drop constraint health_gate_baseline_rollout_id_fkey;
alter table health_gate_baseline add constraint health_gate_baseline_rollout_tenant
    foreign key (tenant_id, rollout_id) references rollout (tenant_id, id);
alter table health_gate_verdict drop constraint health_gate_verdict_rollout_id_fkey;
alter table health_gate_verdict add constraint health_gate_verdict_rollout_tenant
    foreign key (tenant_id, rollout_id) references rollout (tenant_id, id);

-- the histories of a device are per tenant
drop index rollout_history_device;
create index rollout_history_device on rollout_history (tenant_id, device_id, seq) where device_id is not null;
drop index device_history_device;
create index device_history_device on device_history (tenant_id, device_id, seq);

alter table release              alter column tenant_id drop default;
alter table device               alter column tenant_id drop default;
alter table rollout              alter column tenant_id drop default;
alter table rollout_wave         alter column tenant_id drop default;
alter table rollout_cohort       alter column tenant_id drop default;
alter table wave_cohort          alter column tenant_id drop default;
alter table rollout_device       alter column tenant_id drop default;
alter table device_action        alter column tenant_id drop default;
alter table command_dispatch     alter column tenant_id drop default;
alter table health_gate_figures  alter column tenant_id drop default;
alter table health_gate_baseline alter column tenant_id drop default;
alter table health_gate_verdict  alter column tenant_id drop default;
alter table rollout_history      alter column tenant_id drop default;
alter table device_history       alter column tenant_id drop default;
-- every outbox row names its tenant since V62 (Outbox.appendAll writes it)
alter table outbox               alter column tenant_id drop default;
