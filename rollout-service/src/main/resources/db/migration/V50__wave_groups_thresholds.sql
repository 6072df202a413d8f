-- Per-wave thresholds, the error action, explicit wave groups (rollout-service README, "Wave groups, per-wave
-- thresholds and the error action").

-- what a soaked wave whose failure ratio exceeds its error threshold does: PAUSE (as before) or ABORT
alter table rollout add column error_action varchar(10) not null default 'PAUSE';

-- each wave's effective thresholds and error action, resolved at creation (the wave's own, else the rollout's);
-- null on waves created before V50, which use the rollout's
alter table rollout_wave add column success_threshold double precision;
alter table rollout_wave add column error_threshold double precision;
alter table rollout_wave add column error_action varchar(10);

-- an explicit group's name and filter (null for percentage waves; then percent is cumulative, for a group it is the
-- share of the group's own devices)
alter table rollout_wave add column name varchar(100);
alter table rollout_wave add column filter text;
