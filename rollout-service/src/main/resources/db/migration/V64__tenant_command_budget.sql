-- Each tenant's budget of device commands under its maxCommandsPerSecond quota (ADR 0021 decision 5; the quota comes
-- from the tenants topic): a token bucket the command dispatcher of any instance takes from under the row's lock, so
-- replicas share one rate. A row per tenant that has had a rate quota, written on its first dispatch turn.
create table tenant_command_budget (
    tenant_id   varchar(40) primary key,
    tokens      double precision not null,
    refilled_at timestamptz not null
);
