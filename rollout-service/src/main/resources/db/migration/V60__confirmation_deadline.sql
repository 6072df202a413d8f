-- issue 23: how long a device has to answer a confirmation-required install; existing rollouts had no deadline
alter table rollout add column confirmation_deadline_ms bigint;
