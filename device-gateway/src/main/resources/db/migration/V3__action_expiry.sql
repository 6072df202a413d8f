-- InstallRequested.expiresAt: after it, an action the device has not started on is no longer offered (ActionExpired).
alter table device_action add column expires_at timestamptz;
-- What the expiry sweep looks for: only actions that can still expire.
create index device_action_expiry on device_action (expires_at)
    where expires_at is not null and status in ('QUEUED', 'PENDING', 'RETRIEVED');
