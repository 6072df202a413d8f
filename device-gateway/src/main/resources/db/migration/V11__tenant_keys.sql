-- Tenants (ADR 0021, issue 23): every row of device data belongs to a tenant, and two tenants' gw-1 are two devices.
-- The column with its default makes every existing row DEFAULT's in place; keys and unique indexes then hold per
-- tenant, and the defaults are dropped so that no statement can write a row without naming its tenant.
alter table device add column tenant_id varchar(40) not null default 'DEFAULT';
alter table device_action add column tenant_id varchar(40) not null default 'DEFAULT';
alter table action_bytes_served add column tenant_id varchar(40) not null default 'DEFAULT';
alter table delta_source add column tenant_id varchar(40) not null default 'DEFAULT';

alter table action_bytes_served drop constraint action_bytes_served_action_id_fkey;
alter table device_action drop constraint device_action_controller_id_fkey;

alter table device drop constraint device_pkey;
alter table device add primary key (tenant_id, controller_id);
alter table device_action drop constraint device_action_pkey;
alter table device_action add primary key (tenant_id, action_id);
alter table device_action add foreign key (tenant_id, controller_id) references device (tenant_id, controller_id);
alter table action_bytes_served drop constraint action_bytes_served_pkey;
alter table action_bytes_served add primary key (tenant_id, action_id);
alter table action_bytes_served add foreign key (tenant_id, action_id)
    references device_action (tenant_id, action_id) on delete cascade;
alter table delta_source drop constraint delta_source_pkey;
alter table delta_source add primary key (tenant_id, sha256, artifact_id);

drop index device_action_by_device;
create index device_action_by_device on device_action (tenant_id, controller_id, updated_at desc);
drop index device_action_current;
create unique index device_action_current on device_action (tenant_id, controller_id)
    where status in ('PENDING', 'RETRIEVED', 'RUNNING', 'CANCELING');
drop index device_action_queued;
create unique index device_action_queued on device_action (tenant_id, controller_id) where status = 'QUEUED';

alter table device alter column tenant_id drop default;
alter table device_action alter column tenant_id drop default;
alter table action_bytes_served alter column tenant_id drop default;
alter table delta_source alter column tenant_id drop default;
