package io.updraft.telemetry.domain;

import java.time.Instant;

/** A rollout of {@code tenant} whose next health window is due, starting at {@code windowStart}. */
public record WindowDue(String tenant, String rolloutId, Instant windowStart, boolean finished) {
}
