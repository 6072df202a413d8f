-- Late and offline devices, start time, maintenance window (rollout-service README, "How it decides").

-- a wave that has not met its success threshold by timeout_at is judged on what finished; devices still pending keep
-- their open actions and count neither as failed nor against the threshold
alter table rollout add column wave_timeout_ms bigint not null default 21600000;
alter table rollout_wave add column timeout_at timestamptz;
alter table rollout_wave add column timed_out boolean not null default false;
create index rollout_wave_running_timeout on rollout_wave (timeout_at) where state = 'RUNNING';

-- a rollout created with a future startAt waits in SCHEDULED and starts wave 1 then
alter table rollout add column start_at timestamptz;
create index rollout_scheduled on rollout (start_at) where state = 'SCHEDULED';

-- forwarded on every wave InstallRequested: the gateway offers an action only while the window is open
alter table rollout add column window_cron varchar(200);
alter table rollout add column window_duration varchar(50);
alter table rollout add column window_zone varchar(100);

-- per-device action deadline: InstallRequested.expiresAt = the wave's start + this; the gateway then reports
-- ActionExpired and the action becomes EXPIRED, counted per wave like canceled
alter table rollout add column action_deadline_ms bigint;
alter table wave_cohort add column expired int not null default 0;
