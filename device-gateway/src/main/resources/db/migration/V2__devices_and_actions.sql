-- A device as the gateway knows it: its credential, its attributes and whether it has contacted us yet.
create table device (
    controller_id       varchar(200) primary key,
    token_sha256        varchar(64),
    attributes          text         not null default '{}',
    attributes_reported boolean      not null default false,
    registered_at       timestamptz,
    created_at          timestamptz  not null default now()
);

-- Every action a device was asked to carry out; the InstallRequested command is kept whole so that
-- deploymentBase and the reports can be answered from it after a restart.
create table device_action (
    action_id        bigint primary key,
    controller_id    varchar(200) not null references device (controller_id),
    status           varchar(20)  not null,
    command_event_id varchar(64)  not null,
    command          text         not null,
    created_at       timestamptz  not null default now(),
    updated_at       timestamptz  not null default now()
);
create index device_action_by_device on device_action (controller_id, updated_at desc);
-- At most one action the device sees and at most one waiting behind it.
create unique index device_action_current on device_action (controller_id)
    where status in ('PENDING', 'RETRIEVED', 'RUNNING', 'CANCELING');
create unique index device_action_queued on device_action (controller_id) where status = 'QUEUED';
