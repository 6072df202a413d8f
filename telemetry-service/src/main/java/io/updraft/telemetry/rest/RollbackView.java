package io.updraft.telemetry.rest;

import java.time.Instant;

/** One rollback decision as {@code GET /api/v1/rollbacks} lists it. */
public record RollbackView(String rolloutId, String cohort, String reason, Instant decidedAt, long succeeded,
        long failed) {
}
