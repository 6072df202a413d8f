package io.updraft.telemetry.api;

import java.time.Instant;

/**
 * One rollback decision as {@code GET /api/v1/rollbacks} lists it: the rule that decided, {@code devicesCounted} of
 * {@code devicesJudged} (reports, for crashRegression) meeting it, the {@code observed} value against its
 * {@code limit}, over the window from {@code windowStart} to {@code windowEnd}.
 */
public record RollbackView(String rolloutId, String cohort, String reason, Instant decidedAt, long succeeded,
        long failed, String rule, long devicesCounted, long devicesJudged, double observed, double limit,
        Instant windowStart, Instant windowEnd) {
}
