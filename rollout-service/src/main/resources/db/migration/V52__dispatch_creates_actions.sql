-- The dispatcher creates a started wave's install actions itself, chunk by chunk in device order, overlapping the
-- inserts with the broker's acknowledgements: starting a wave no longer inserts all its actions in the decision's
-- transaction. The dispatch row gets a second cursor: the last device whose action was created.
alter table command_dispatch add column last_device_id varchar(200);
alter table command_dispatch add column all_created boolean not null default false;
-- Waves already started before this change had all their actions created at once.
update command_dispatch set all_created = true;

-- the creation cursor walks a wave's devices in id order
drop index if exists rollout_device_wave;
create index rollout_device_wave on rollout_device (rollout_id, wave, device_id);

-- no statement looks rollout_device up by cohort (cohorts are counted in wave_cohort): one index less to maintain
-- for each of a rollout's devices
drop index if exists rollout_device_cohort;
