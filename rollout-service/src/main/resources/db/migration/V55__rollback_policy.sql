-- Issue 16: the rollout's whole rollback policy (every rule, resolved over the service's defaults, as RolloutCreated
-- carries it to telemetry), and the wave error threshold's own minimum sample.
alter table rollout add column rollback_policy  jsonb;
alter table rollout add column error_min_sample integer not null default 1;
