-- Release catalog, as published on the releases topic.
create table release (
    release_id   varchar(64)  primary key,
    name         varchar(200) not null,
    version      varchar(100) not null,
    artifacts    jsonb        not null,
    hardware     jsonb        not null,
    stable       boolean      not null default false,
    revoked      boolean      not null default false,
    published_at timestamptz  not null
);

-- Device inventory, as seen from device-reports. model/revision are copied out of attributes for the cohort.
create table device (
    device_id            varchar(200) primary key,
    attributes           jsonb        not null default '{}',
    model                varchar(200),
    revision             varchar(200),
    installed_release_id varchar(64),
    installed_version    varchar(100),
    last_seen            timestamptz
);
create index device_model_revision on device (model, revision);
create index device_attributes on device using gin (attributes jsonb_path_ops);

create table rollout (
    id                     varchar(64)      primary key,
    name                   varchar(200)     not null,
    release_id             varchar(64)      not null references release (release_id),
    version                varchar(100)     not null,
    target                 jsonb            not null,
    state                  varchar(20)      not null,
    current_wave           int              not null,
    wave_count             int              not null,
    error_threshold        double precision not null,
    success_threshold      double precision not null,
    soak_time_ms           bigint           not null,
    action_type            varchar(20)      not null,
    failure_rate_threshold double precision not null,
    min_sample_size        int              not null,
    -- an operator who resumes a paused wave accepts its failures: the error threshold is not applied to it again
    errors_accepted_wave   int              not null default 0,
    created_at             timestamptz      not null,
    updated_at             timestamptz      not null
);
create index rollout_created on rollout (created_at);

create table rollout_wave (
    rollout_id   varchar(64) not null references rollout (id),
    wave         int         not null,
    percent      int         not null,
    device_count int         not null,
    state        varchar(20) not null,
    soak_until   timestamptz,
    primary key (rollout_id, wave)
);
create index rollout_wave_soaking on rollout_wave (soak_until) where state = 'SOAKING';

create table rollout_cohort (
    rollout_id      varchar(64)  not null references rollout (id),
    cohort          varchar(200) not null,
    device_count    int          not null,
    state           varchar(20)  not null,
    rollback_reason varchar(1000),
    primary key (rollout_id, cohort)
);

-- Progress counters per wave x cohort, kept by the report consumer under the rollout lock, so judging a wave
-- costs O(cohorts) instead of a scan of the wave's actions.
create table wave_cohort (
    rollout_id varchar(64)  not null references rollout (id),
    wave       int          not null,
    cohort     varchar(200) not null,
    devices    int          not null,
    succeeded  int          not null default 0,
    failed     int          not null default 0,
    canceled   int          not null default 0,
    primary key (rollout_id, wave, cohort)
);

-- Every device of the target set, assigned to its wave when the rollout is created.
create table rollout_device (
    rollout_id      varchar(64)  not null references rollout (id),
    device_id       varchar(200) not null,
    wave            int          not null,
    cohort          varchar(200) not null,
    from_release_id varchar(64),
    from_version    varchar(100),
    primary key (rollout_id, device_id)
);
create index rollout_device_wave on rollout_device (rollout_id, wave, cohort);
create index rollout_device_cohort on rollout_device (rollout_id, cohort);

create sequence action_id_seq;

create table device_action (
    action_id  bigint       primary key,
    rollout_id varchar(64)  not null references rollout (id),
    device_id  varchar(200) not null,
    wave       int          not null,
    cohort     varchar(200) not null,
    release_id varchar(64)  not null,
    version    varchar(100) not null,
    rollback   boolean      not null,
    state      varchar(20)  not null,
    created_at timestamptz  not null,
    updated_at timestamptz  not null
);
-- A device gets the rollout's release at most once and is sent back at most once, whatever crashes or redeliveries.
create unique index device_action_one_install on device_action (rollout_id, device_id) where not rollback;
create unique index device_action_one_rollback on device_action (rollout_id, device_id) where rollback;
create index device_action_rollout_cohort on device_action (rollout_id, cohort, state);
create index device_action_device on device_action (device_id);
