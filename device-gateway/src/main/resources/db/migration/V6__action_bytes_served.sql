-- Issue 22: artifact bytes the gateway served for an action (full, ranged and multi-range downloads together), added
-- once per finished download rather than per byte; ActionFinished carries the sum as bytesServed. A table of its own
-- so a download's upsert never contends with the action row's status updates.
create table action_bytes_served (
    action_id     bigint primary key references device_action (action_id) on delete cascade,
    bytes         bigint not null,
    updated_at    timestamptz not null
);
