-- Issue 16: what happened to a rollout and to a device, and who did it. Written in the transaction of the change
-- itself (the rollout's events pass the journal on their way into the outbox; device reports with the batch that
-- applies them), so the history never disagrees with the state.
create table rollout_history (
    seq        bigserial    primary key,
    rollout_id varchar(64)  not null,
    at         timestamptz  not null,
    type       varchar(40)  not null,
    actor      varchar(200) not null,
    reason     varchar(2000),
    wave       int,
    cohort     varchar(200),
    device_id  varchar(200),
    details    varchar(2000)
);
create index rollout_history_rollout on rollout_history (rollout_id, seq);
create index rollout_history_device on rollout_history (device_id, seq) where device_id is not null;

create table device_history (
    seq        bigserial    primary key,
    device_id  varchar(200) not null,
    at         timestamptz  not null,
    type       varchar(40)  not null,
    action_id  bigint,
    rollout_id varchar(64),
    details    varchar(2000)
);
create index device_history_device on device_history (device_id, seq);
create index device_history_at on device_history (at);
