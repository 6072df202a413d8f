-- Retry budget: an install that fails is sent again as a new action (new action id, attempt + 1) up to
-- rollout.retries times before it counts as failed; the failed attempt becomes RETRIED.
alter table rollout add column retries int not null default 0;
alter table device_action add column attempt int not null default 1;
-- still one install per (rollout, device) per attempt, whatever crashes or redeliveries
drop index if exists device_action_one_install;
create unique index device_action_one_install on device_action (rollout_id, device_id, attempt) where not rollback;
