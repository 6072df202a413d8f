-- What the dashboard shows of a rollout besides its cohorts: from RolloutCreated, RolloutGroupStarted and the rest.
alter table rollout
    add column name         varchar(200),
    add column version      varchar(100),
    add column wave_count   integer,
    add column device_count integer,
    add column current_wave integer,
    add column state        varchar(20) not null default 'RUNNING',
    add column state_reason varchar(500);

-- Each device's place in a rollout: INSTALLING, SUCCEEDED, FAILED, ROLLED_BACK, CANCELED.
create table device_progress (
    rollout_id varchar(100) not null,
    device_id  varchar(200) not null,
    cohort     varchar(200) not null,
    state      varchar(20)  not null,
    updated_at timestamptz  not null,
    primary key (rollout_id, device_id)
);

-- The cohort figures of every health window closed: the dashboard's charts over time.
create table health_point (
    rollout_id        varchar(100)     not null,
    cohort            varchar(200)     not null,
    window_end        timestamptz      not null,
    succeeded         bigint           not null,
    failed            bigint           not null,
    failure_rate      double precision not null,
    health_reports    bigint           not null,
    unhealthy_reports bigint           not null,
    crashes           bigint           not null,
    primary key (rollout_id, cohort, window_end)
);
