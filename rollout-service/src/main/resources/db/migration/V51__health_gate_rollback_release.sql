-- Health gate and named rollback release (rollout-service README, "Health gate" and "Named rollback release").

-- the gate's bounds (null: not judged); a ratio is judged on at least gate_min_reports installs / health reports
alter table rollout add column gate_max_failure_rate double precision;
alter table rollout add column gate_max_unhealthy_ratio double precision;
alter table rollout add column gate_max_crashes_per_report double precision;
alter table rollout add column gate_min_reports int not null default 1;
-- a soaked wave advances only after a health window that ended after its soak began
alter table rollout add column gate_require_window boolean not null default false;
-- a rolled-back cohort's devices get this release instead of the one each ran before (null: the previous one)
alter table rollout add column rollback_release_id varchar(64) references release (release_id);

-- each cohort's newest cumulative figures from fleet-health (HealthWindowClosed) of a gated rollout
create table health_gate_figures (
    rollout_id        varchar(64)  not null references rollout (id),
    cohort            varchar(200) not null,
    window_end        timestamptz  not null,
    succeeded         bigint       not null,
    failed            bigint       not null,
    health_reports    bigint       not null,
    unhealthy_reports bigint       not null,
    crashes           bigint       not null,
    primary key (rollout_id, cohort)
);

-- the figures a wave is judged from: the cohorts' figures when its first window (ended after it started) arrived
create table health_gate_baseline (
    rollout_id        varchar(64)  not null references rollout (id),
    wave              int          not null,
    cohort            varchar(200) not null,
    succeeded         bigint       not null,
    failed            bigint       not null,
    health_reports    bigint       not null,
    unhealthy_reports bigint       not null,
    crashes           bigint       not null,
    primary key (rollout_id, wave, cohort)
);

-- the verdict of the last window per wave, decided under the rollout row lock; a breach stays once recorded
create table health_gate_verdict (
    rollout_id varchar(64)   not null references rollout (id),
    wave       int           not null,
    window_end timestamptz   not null,
    breach     varchar(1000),
    decided_at timestamptz   not null,
    primary key (rollout_id, wave)
);
