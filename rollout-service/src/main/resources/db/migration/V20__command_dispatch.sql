-- A started wave whose InstallRequested commands are still being sent. The commands are not written to the outbox
-- one row per device: the committed actions are the source, and this row is the cursor of how far they have been
-- sent (action ids ascending). It is written in the wave's transaction and deleted once its last command is acked.
create table command_dispatch (
    rollout_id     varchar(64) not null references rollout (id),
    wave           int         not null,
    last_action_id bigint      not null default 0,
    created_at     timestamptz not null,
    primary key (rollout_id, wave)
);

-- what the dispatcher streams: a wave's installs in action id order
create index device_action_dispatch on device_action (rollout_id, wave, action_id) where not rollback;
