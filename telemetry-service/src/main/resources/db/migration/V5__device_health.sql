-- Issue 20: each device's latest health report, for the console's device pages. One row per device, replaced only
-- by a report that occurred later (occurred_at, then event_id): an older report arriving late, or a redelivered one,
-- changes nothing.
create table device_health (
    device_id   varchar(200) primary key,
    event_id    varchar(200) not null,
    reported_at timestamptz  not null,
    boot_ok     boolean      not null,
    crash_count integer      not null,
    app_healthy boolean      not null,
    metrics     jsonb        not null default '{}'::jsonb
);
