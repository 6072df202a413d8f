package io.updraft.telemetry.domain;

import java.time.Instant;

/** A rollout whose next health window may close now; it starts where the previous one ended. */
public record WindowDue(String rolloutId, Instant windowStart, boolean finished) {
}
