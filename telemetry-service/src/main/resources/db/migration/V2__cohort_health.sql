-- Rollouts as telemetry knows them. The policy columns stay null until RolloutCreated arrives (defaults apply).
create table rollout (
    rollout_id             varchar(100) primary key,
    failure_rate_threshold double precision,
    min_sample_size        integer,
    created_at             timestamptz not null,
    finished_at            timestamptz
);
create index rollout_unfinished on rollout (rollout_id) where finished_at is null;

-- Where the last health window of a rollout ended. Apart from the rollout row on purpose: reports hold that row
-- FOR SHARE while they judge, and the window job must not queue behind them (nor they behind it).
create table health_window (
    rollout_id      varchar(100) primary key,
    last_window_end timestamptz  not null
);

-- Totals per rollout x hardware cohort ("model:revision"); counters only ever grow, by atomic upserts.
create table cohort_stats (
    rollout_id        varchar(100) not null,
    cohort            varchar(200) not null,
    succeeded         bigint       not null default 0,
    failed            bigint       not null default 0,
    health_reports    bigint       not null default 0,
    unhealthy_reports bigint       not null default 0,
    crashes           bigint       not null default 0,
    rolled_back       boolean      not null default false,
    first_report_at   timestamptz,
    last_activity_at  timestamptz,
    primary key (rollout_id, cohort)
);

-- Counts each action's final result once, even if the gateway publishes it twice under new event ids.
create table counted_action (
    action_id  bigint primary key,
    rollout_id varchar(100) not null,
    counted_at timestamptz  not null
);
create index counted_action_rollout on counted_action (rollout_id);

-- Which rollout and cohort a device's health reports count towards.
create table device_assignment (
    device_id  varchar(200) primary key,
    rollout_id varchar(100) not null,
    cohort     varchar(200) not null,
    action_id  bigint       not null,
    assigned_at timestamptz not null
);

-- At most one rollback decision per cohort per rollout: the primary key makes the decision exactly once.
create table rollback_decision (
    rollout_id             varchar(100)     not null,
    cohort                 varchar(200)     not null,
    reason                 varchar(500)     not null,
    decided_at             timestamptz      not null,
    succeeded              bigint           not null,
    failed                 bigint           not null,
    failure_rate           double precision not null,
    failure_rate_threshold double precision not null,
    min_sample_size        integer          not null,
    window_start           timestamptz,
    window_end             timestamptz      not null,
    primary key (rollout_id, cohort)
);
create index rollback_decision_decided on rollback_decision (decided_at);
