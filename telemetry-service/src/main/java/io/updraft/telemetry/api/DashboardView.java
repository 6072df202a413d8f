package io.updraft.telemetry.api;

import io.updraft.telemetry.api.RollbackView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/dashboard}: the recent rollouts with their waves, devices per state and cohort health over time. */
public record DashboardView(Instant at, List<RolloutCard> rollouts, List<RollbackView> rollbacks) {

    public record RolloutCard(String rolloutId, String name, String version, String state, String stateReason,
            Integer waveCount, Integer currentWave, Integer deviceCount, Instant createdAt, Instant finishedAt,
            Map<String, Long> devices, List<CohortCard> cohorts) {
    }

    public record CohortCard(String cohort, long succeeded, long failed, double failureRate, long healthReports,
            long unhealthyReports, long crashes, boolean rolledBack, String rollbackReason, List<Point> history) {
    }

    /** One closed health window: cumulative figures at its end. */
    public record Point(Instant at, long succeeded, long failed, double failureRate, long healthReports,
            long crashes) {
    }
}
