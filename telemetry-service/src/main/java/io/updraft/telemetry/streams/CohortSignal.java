package io.updraft.telemetry.streams;

import java.util.Map;

/**
 * One thing that happened to a cohort of a rollout, re-keyed from its device (or its rollout) to
 * {@code rolloutId|cohort}: what the cohort referee aggregates and judges.
 */
public record CohortSignal(Kind kind, String rolloutId, String cohort, int wave, String release, boolean bootOk,
        boolean appHealthy, int crashCount, Map<String, Double> metrics, long baselineReports, long baselineCrashes,
        CohortPolicy policy) {

    public enum Kind {
        INSTALL_SUCCEEDED, INSTALL_FAILED, HEALTH, HEARTBEAT_RETURNED, HEARTBEAT_MISSED,
        /** A device's health on the release it ran before this rollout's install: the cohort's baseline. */
        BASELINE,
        /** The rollout's own policy arrived (RolloutCreated): judge the cohort again by it. */
        POLICY
    }

    public CohortSignal {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    public static CohortSignal of(Kind kind, DeviceState device) {
        return new CohortSignal(kind, device.rolloutId(), device.cohort(), device.wave(), device.release(), true, true,
                0, Map.of(), 0, 0, null);
    }

    public static CohortSignal health(DeviceState device, boolean bootOk, boolean appHealthy, int crashes,
            Map<String, Double> metrics) {
        return new CohortSignal(Kind.HEALTH, device.rolloutId(), device.cohort(), device.wave(), device.release(),
                bootOk, appHealthy, crashes, metrics, 0, 0, null);
    }

    public static CohortSignal baseline(DeviceState device, long reports, long crashes) {
        return new CohortSignal(Kind.BASELINE, device.rolloutId(), device.cohort(), device.wave(), device.release(),
                true, true, 0, Map.of(), reports, crashes, null);
    }

    public static CohortSignal policy(String rolloutId, String cohort, CohortPolicy policy) {
        return new CohortSignal(Kind.POLICY, rolloutId, cohort, 0, null, true, true, 0, Map.of(), 0, 0, policy);
    }

    /** The repartition key: every signal of one cohort of one rollout reaches the same task. */
    public String cohortKey() {
        return keyOf(rolloutId, cohort);
    }

    public static String keyOf(String rolloutId, String cohort) {
        return rolloutId + "|" + cohort;
    }
}
