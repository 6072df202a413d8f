-- Tenants (ADR 0021, issue 23): every telemetry row belongs to a tenant. Device ids and hardware cohorts repeat
-- across tenants (and nothing promises rollout or action ids do not), so every key starts with the tenant. The column
-- with its default makes every existing row DEFAULT's in place; the keys are then rebuilt per tenant and the defaults
-- dropped, so that no statement can write a row without naming its tenant.
alter table rollout           add column tenant_id varchar(40) not null default 'DEFAULT';
alter table health_window     add column tenant_id varchar(40) not null default 'DEFAULT';
alter table cohort_stats      add column tenant_id varchar(40) not null default 'DEFAULT';
alter table counted_action    add column tenant_id varchar(40) not null default 'DEFAULT';
alter table device_assignment add column tenant_id varchar(40) not null default 'DEFAULT';
alter table rollback_decision add column tenant_id varchar(40) not null default 'DEFAULT';
alter table device_progress   add column tenant_id varchar(40) not null default 'DEFAULT';
alter table health_point      add column tenant_id varchar(40) not null default 'DEFAULT';
alter table device_health     add column tenant_id varchar(40) not null default 'DEFAULT';

alter table rollout drop constraint rollout_pkey;
alter table rollout add primary key (tenant_id, rollout_id);
drop index rollout_unfinished;
create index rollout_unfinished on rollout (tenant_id, rollout_id) where finished_at is null;
create index rollout_created on rollout (tenant_id, created_at desc);

alter table health_window drop constraint health_window_pkey;
alter table health_window add primary key (tenant_id, rollout_id);

alter table cohort_stats drop constraint cohort_stats_pkey;
alter table cohort_stats add primary key (tenant_id, rollout_id, cohort);

alter table counted_action drop constraint counted_action_pkey;
alter table counted_action add primary key (tenant_id, action_id);
drop index counted_action_rollout;
create index counted_action_rollout on counted_action (tenant_id, rollout_id);

alter table device_assignment drop constraint device_assignment_pkey;
alter table device_assignment add primary key (tenant_id, device_id);

alter table rollback_decision drop constraint rollback_decision_pkey;
alter table rollback_decision add primary key (tenant_id, rollout_id, cohort);
drop index rollback_decision_decided;
create index rollback_decision_decided on rollback_decision (tenant_id, decided_at);

alter table device_progress drop constraint device_progress_pkey;
alter table device_progress add primary key (tenant_id, rollout_id, device_id);

alter table health_point drop constraint health_point_pkey;
alter table health_point add primary key (tenant_id, rollout_id, cohort, window_end);

alter table device_health drop constraint device_health_pkey;
alter table device_health add primary key (tenant_id, device_id);

alter table rollout           alter column tenant_id drop default;
alter table health_window     alter column tenant_id drop default;
alter table cohort_stats      alter column tenant_id drop default;
alter table counted_action    alter column tenant_id drop default;
alter table device_assignment alter column tenant_id drop default;
alter table rollback_decision alter column tenant_id drop default;
alter table device_progress   alter column tenant_id drop default;
alter table health_point      alter column tenant_id drop default;
alter table device_health     alter column tenant_id drop default;
