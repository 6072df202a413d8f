-- Tenants (ADR 0021): every outbox row names the tenant its event belongs to; the relay puts it on the record (the
-- JSON's "tenant" field, the ce_tenant header, a TENANT/key key for tenants other than DEFAULT). Rows written before
-- this migration, and every row of a single-tenant installation, are DEFAULT's.
alter table outbox add column tenant_id varchar(40) not null default 'DEFAULT';
