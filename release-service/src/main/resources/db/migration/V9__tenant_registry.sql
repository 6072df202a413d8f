-- The tenant registry (ADR 0021 decisions 1 and 5): platform-wide, one row per tenant, managed by the platform-admin
-- role through /api/v1/tenants and announced on the compacted tenants topic. Not tenant data itself: no tenant_id, and
-- the entity carries no @TenantId, so Hibernate's discriminator does not filter it.
-- Ids are kept canonical (TenantIds: upper-case), so the primary key makes them unique without case.
-- Quotas: null is unlimited; a count quota is enforced in the transaction that would exceed it, under this row's lock.
create table tenant (
    id                      varchar(40)  primary key,
    display_name            varchar(200) not null,
    created_at              timestamptz  not null,
    updated_at              timestamptz  not null,
    -- 1 when created, one more with each change (TenantDefined.version: readers keep the highest)
    version                 bigint       not null check (version >= 1),
    max_devices             bigint       check (max_devices >= 0),
    max_artifact_bytes      bigint       check (max_artifact_bytes >= 0),
    max_rollouts_in_flight  integer      check (max_rollouts_in_flight >= 0),
    max_commands_per_second integer      check (max_commands_per_second >= 0),
    constraint tenant_id_canonical check (id ~ '^[A-Z0-9][A-Z0-9_-]{0,39}$')
);

-- An installation upgraded in place: DEFAULT, unlimited, and every tenant that already has data here (multi mode
-- before the registry) keeps it, unlimited, under its own id.
insert into tenant (id, display_name, created_at, updated_at, version)
select tenant_id, tenant_id, now(), now(), 1 from (
    select 'DEFAULT' as tenant_id
    union select tenant_id from releases
    union select tenant_id from uploads) known
where tenant_id ~ '^[A-Z0-9][A-Z0-9_-]{0,39}$';

-- the artifact-bytes quota sums a tenant's artifact sizes: an index-only scan
create index artifacts_size_by_tenant on artifacts (tenant_id) include (size);
