package io.updraft.rollout.api;

import io.updraft.events.RollbackEvent;
import io.updraft.events.RolloutEvent.RollbackPolicy;
import java.time.Instant;
import java.util.List;

/**
 * A rollout as the management API shows it. {@code rollbackPolicy} is every rule telemetry judges its cohorts by
 * (the request's over the service's defaults); {@code errorThreshold} and {@code errorMinSample} judge its waves.
 */
public record RolloutView(String id, String name, String releaseId, String version, String state, int currentWave,
        Instant createdAt, List<WaveView> waves, List<CohortView> cohorts, RollbackActionsView rollbackActions,
        String filter, List<String> cohortBy, int canaryPerCohort, Instant startAt, String waveTimeout,
        String actionDeadline, MaintenanceWindowView maintenanceWindow, int retries, boolean dynamic,
        HealthGateView healthGate, String rollbackRelease, RolloutRateView rolloutRate, double errorThreshold,
        int errorMinSample, RollbackPolicy rollbackPolicy, boolean confirmationRequired,
        String confirmationDeadline) {

    /** How fast each wave's installs are sent (null: as fast as the broker takes them); see CreateRolloutRequest. */
    public record RolloutRateView(int maximumPerMinute, Integer baseRatePerMinute, Double incrementFactor,
            Integer numberOfNotifiedThings, Integer numberOfSucceededThings) {
    }

    /** The rollout's health gate (null: none); null bounds are not judged. */
    public record HealthGateView(Double maxFailureRate, Double maxUnhealthyRatio, Double maxCrashesPerReport,
            int minReports, boolean requireWindow) {
    }

    /**
     * A wave's devices, each counted once by its latest install attempt: {@code devices = installed + failed +
     * rolledBack + skipped + running + canceling + canceled + expired + denied + pending}.
     *
     * @param state PENDING, RUNNING, SOAKING, DONE, SKIPPED (no device left in an active cohort) or ABORTED (the
     *        rollout was aborted before the wave ended; waves that never started too)
     * @param succeeded the same as {@code installed} (kept for clients that read it)
     * @param failed installs that failed (rolled-back cohorts included: a failure stays a failure)
     * @param running installs the device reported progress on
     * @param pending devices of cohorts not rolled back with no finished action: sent and not started, or not sent
     *        yet (in an ABORTED wave: never to be sent)
     * @param canceled installs canceled in cohorts not rolled back (an abort, or a newer action superseded them): the
     *        device confirmed, or it never had the action
     * @param expired installs whose deadline passed before the device took them
     * @param timedOut the wave reached its timeout and was judged on what had finished; its pending devices still
     *        have their actions
     * @param retried failed attempts that were sent again within the retry budget (their devices are counted by
     *        their latest attempt)
     * @param name the explicit group's name (null for a percentage wave; then {@code percent} is cumulative, for a
     *        group it is the share of the group's own devices)
     * @param filter the explicit group's filter, or null
     * @param successThreshold, errorThreshold, errorAction what this wave is judged by (its own, else the rollout's)
     * @param installed installs that succeeded in cohorts not rolled back
     * @param rolledBack devices of rolled-back cohorts that had installed the release (before the rollback, or after
     *        it when the cancel came too late): each is sent back
     * @param skipped devices of rolled-back cohorts that never installed: not sent yet, or canceled by the rollback
     * @param canceling installs whose cancel (abort, cohort rollback) the device has not answered yet
     * @param denied installs the device refused to confirm (rollouts with {@code confirmationRequired}), in cohorts
     *        not rolled back; judged like canceled (ended, not failed)
     */
    public record WaveView(int wave, int percent, int devices, String state, long succeeded, long failed,
            long running, long pending, long canceled, boolean approval, long expired, boolean timedOut,
            long retried, String name, String filter, double successThreshold, double errorThreshold,
            String errorAction, long installed, long rolledBack, long skipped, long canceling, long denied) {
    }

    public record MaintenanceWindowView(String schedule, String duration, String timezone) {
    }

    /**
     * @param rollbackEvidence why telemetry rolled the cohort back: the rule, devices counted and judged, the observed
     *        value and its limit, the window (null while active, or for an operator's rollback)
     */
    public record CohortView(String cohort, int devices, String state, String rollbackReason,
            RollbackEvent.Evidence rollbackEvidence) {
    }

    public record RollbackActionsView(long sent, long succeeded, long failed) {
    }
}
