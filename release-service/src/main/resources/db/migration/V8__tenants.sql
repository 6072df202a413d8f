-- Tenants (ADR 0021, issue 23): every row of release data belongs to one tenant. The column arrives with the default
-- 'DEFAULT', which fills every existing row in place (an installation's data before tenants is DEFAULT's); keys that
-- identify a thing by what the publisher chose become per tenant; then the defaults go, so no new row can miss its
-- tenant. Ids the service generates (release UUIDs, artifact and upload ids) stay unique across tenants.
alter table releases         add column tenant_id varchar(40) not null default 'DEFAULT';
alter table release_hardware add column tenant_id varchar(40) not null default 'DEFAULT';
alter table release_label    add column tenant_id varchar(40) not null default 'DEFAULT';
alter table artifacts        add column tenant_id varchar(40) not null default 'DEFAULT';
alter table uploads          add column tenant_id varchar(40) not null default 'DEFAULT';
alter table zchunk_indexes   add column tenant_id varchar(40) not null default 'DEFAULT';
alter table zchunk_chunks    add column tenant_id varchar(40) not null default 'DEFAULT';

-- the same name+version may exist in two tenants; the newest-first listings are per tenant
alter table releases drop constraint releases_name_version;
alter table releases add constraint releases_name_version unique (tenant_id, name, version);
drop index releases_newest;
create index releases_newest on releases (tenant_id, created_at desc, id desc);
drop index releases_by_name_newest;
create index releases_by_name_newest on releases (tenant_id, name, created_at desc, id desc);

-- a row that hangs off a release is in its release's tenant: the database refuses anything else
alter table releases add constraint releases_tenant_id unique (tenant_id, id);
alter table artifacts add constraint artifacts_release_tenant
    foreign key (tenant_id, release_id) references releases (tenant_id, id);
alter table release_hardware add constraint release_hardware_release_tenant
    foreign key (tenant_id, release_id) references releases (tenant_id, id);
alter table release_label add constraint release_label_release_tenant
    foreign key (tenant_id, release_id) references releases (tenant_id, id);
-- (release_id is null until the upload is used; a composite key with a null is not checked)
alter table uploads add constraint uploads_release_tenant
    foreign key (tenant_id, release_id) references releases (tenant_id, id);
create index uploads_by_tenant on uploads (tenant_id, id);

-- Hardware and labels are value collections of a release (no entity of their own to carry a tenant): their rows take
-- the tenant of the release they belong to.
create function release_child_tenant() returns trigger language plpgsql as $$
begin
    select r.tenant_id into new.tenant_id from releases r where r.id = new.release_id;
    return new;
end
$$;
create trigger release_hardware_tenant before insert on release_hardware
    for each row execute function release_child_tenant();
create trigger release_label_tenant before insert on release_label
    for each row execute function release_child_tenant();

-- a zchunk index is per tenant: recording or reading one never touches another tenant's rows
alter table zchunk_chunks drop constraint zchunk_chunks_sha256_fkey;
alter table zchunk_chunks drop constraint zchunk_chunks_pkey;
alter table zchunk_indexes drop constraint zchunk_indexes_pkey;
alter table zchunk_indexes add primary key (tenant_id, sha256);
alter table zchunk_chunks add primary key (tenant_id, sha256, number);
alter table zchunk_chunks add constraint zchunk_chunks_index
    foreign key (tenant_id, sha256) references zchunk_indexes (tenant_id, sha256);

alter table releases         alter column tenant_id drop default;
alter table release_hardware alter column tenant_id drop default;
alter table release_label    alter column tenant_id drop default;
alter table artifacts        alter column tenant_id drop default;
alter table uploads          alter column tenant_id drop default;
alter table zchunk_indexes   alter column tenant_id drop default;
alter table zchunk_chunks    alter column tenant_id drop default;
