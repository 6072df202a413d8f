-- Rollout rate (AWS IoT Jobs' jobExecutionsRolloutConfig): a wave's installs leave at most rate_max_per_minute a
-- minute; with an exponential ramp, starting at rate_base_per_minute and multiplied by rate_factor each time another
-- rate_step devices were notified (or succeeded, rate_counts_succeeded). No rate: as fast as the broker takes them.
alter table rollout add column rate_max_per_minute int;
alter table rollout add column rate_base_per_minute int;
alter table rollout add column rate_factor double precision;
alter table rollout add column rate_step int;
alter table rollout add column rate_counts_succeeded boolean not null default false;

-- The wave's send budget (RateBudget), kept with its dispatch cursors so replicas and restarts continue the ramp; and
-- not_before, so a wave waiting for its next token does not hold up the waves of other rollouts.
alter table command_dispatch add column sent bigint not null default 0;
alter table command_dispatch add column rate_per_minute double precision;
alter table command_dispatch add column rate_next_step bigint;
alter table command_dispatch add column rate_tokens double precision;
alter table command_dispatch add column rate_at timestamptz;
alter table command_dispatch add column not_before timestamptz;
