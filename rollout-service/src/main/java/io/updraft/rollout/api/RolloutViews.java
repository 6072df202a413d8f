package io.updraft.rollout.api;

import io.updraft.events.HardwareCompatibility;
import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.rollout.api.RolloutView.CohortView;
import io.updraft.rollout.api.RolloutView.MaintenanceWindowView;
import io.updraft.rollout.api.RolloutView.RollbackActionsView;
import io.updraft.rollout.api.RolloutView.WaveView;
import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.CohortRow;
import io.updraft.rollout.domain.CohortState;
import io.updraft.rollout.domain.DeviceAction;
import io.updraft.rollout.domain.HealthBounds;
import io.updraft.rollout.domain.InventoryDevice;
import io.updraft.rollout.domain.JsonColumns;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.domain.WaveCohortActions;
import io.updraft.rollout.domain.WaveRules;
import io.updraft.rollout.service.RolloutQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds the API's views; entities and rows never go on the wire. */
@ApplicationScoped
public class RolloutViews {
    @Inject
    RolloutQueries queries;

    public RolloutView of(Rollout rollout) {
        List<CohortRow> cohorts = queries.cohorts(rollout.id);
        Set<String> rolledBack = cohorts.stream().filter(c -> c.state() == CohortState.ROLLED_BACK)
                .map(CohortRow::cohort).collect(Collectors.toSet());
        Map<Integer, WaveCounts> counts = WaveCounts.perWave(queries.actionsPerWaveAndCohort(rollout.id), rolledBack);
        Map<ActionState, Long> rollbacks = queries.rollbackCounts(rollout.id);
        return new RolloutView(rollout.id, rollout.name, rollout.releaseId, rollout.version, rollout.state.name(),
                rollout.currentWave, rollout.createdAt,
                queries.waves(rollout.id).stream().map(wave -> {
                    WaveCounts count = counts.getOrDefault(wave.wave(), WaveCounts.NONE);
                    WaveRules rules = wave.rules(rollout);
                    return new WaveView(wave.wave(), wave.percent(), wave.deviceCount(), wave.state().name(),
                            count.installed(), count.failed(), count.running(), count.pending(), count.canceled(),
                            wave.approval(), count.expired(), wave.timedOut(), count.retried(), wave.name(),
                            wave.filter(), rules.successThreshold(), rules.errorThreshold(),
                            rules.errorAction().name(), count.installed(), count.rolledBack(), count.skipped(),
                            count.canceling(), count.denied());
                }).toList(),
                cohorts.stream()
                        .map(c -> new CohortView(c.cohort(), c.deviceCount(), c.state().name(), c.rollbackReason(),
                                JsonColumns.evidence(c.rollbackEvidence())))
                        .toList(),
                new RollbackActionsView(rollbacks.values().stream().mapToLong(Long::longValue).sum(),
                        rollbacks.getOrDefault(ActionState.SUCCEEDED, 0L),
                        rollbacks.getOrDefault(ActionState.FAILED, 0L)),
                rollout.filter, rollout.cohortBy == null ? List.of() : JsonColumns.names(rollout.cohortBy),
                rollout.canaryPerCohort, rollout.startAt, rollout.waveTimeout().toString(),
                rollout.actionDeadlineMillis == null ? null : Duration.ofMillis(rollout.actionDeadlineMillis).toString(),
                rollout.windowCron == null ? null
                        : new MaintenanceWindowView(rollout.windowCron, rollout.windowDuration, rollout.windowZone),
                rollout.retries, rollout.dynamic, healthGate(rollout.healthBounds()), rollout.rollbackReleaseId,
                rolloutRate(rollout.rate()), rollout.errorThreshold, rollout.errorMinSample,
                rollout.rollbackPolicy == null
                        ? new RollbackPolicy(rollout.failureRateThreshold, rollout.minSampleSize)
                        : JsonColumns.rollbackPolicy(rollout.rollbackPolicy),
                rollout.confirmationRequired,
                rollout.confirmationDeadlineMillis == null ? null
                        : Duration.ofMillis(rollout.confirmationDeadlineMillis).toString());
    }

    /**
     * What became of a wave's devices, each counted once, by its latest install attempt (RETRIED attempts beside):
     * in cohorts not rolled back {@code installed + failed + running + canceling + canceled + expired + pending}; in
     * rolled-back cohorts {@code rolledBack} (installed, then sent back), {@code skipped} (never sent, or the cancel
     * of the rollback confirmed), and the failed, running, canceling and expired ones counted as such.
     */
    record WaveCounts(long installed, long failed, long rolledBack, long skipped, long pending, long running,
            long canceled, long expired, long retried, long canceling, long denied) {
        static final WaveCounts NONE = new WaveCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        static Map<Integer, WaveCounts> perWave(List<WaveCohortActions> cells, Set<String> rolledBackCohorts) {
            Map<Integer, WaveCounts> perWave = new HashMap<>();
            cells.forEach(cell -> perWave.merge(cell.wave(), of(cell, rolledBackCohorts.contains(cell.cohort())),
                    WaveCounts::plus));
            return perWave;
        }

        static WaveCounts of(WaveCohortActions cell, boolean rolledBack) {
            long succeeded = cell.count(ActionState.SUCCEEDED);
            long failed = cell.count(ActionState.FAILED);
            long running = cell.count(ActionState.RUNNING);
            long expired = cell.count(ActionState.EXPIRED);
            long retried = cell.count(ActionState.RETRIED);
            long canceling = cell.count(ActionState.CANCELING);
            long ended = succeeded + failed + running + expired + canceling;
            if (rolledBack) {
                // canceled by the rollback or never sent: skipped
                return new WaveCounts(0, failed, succeeded, Math.max(0, cell.devices() - ended), 0, running, 0,
                        expired, retried, canceling, 0);
            }
            long canceled = cell.count(ActionState.CANCELED);
            long denied = cell.count(ActionState.DENIED);
            // pending: no action yet, or sent and not started
            return new WaveCounts(succeeded, failed, 0, 0, Math.max(0, cell.devices() - ended - canceled - denied),
                    running, canceled, expired, retried, canceling, denied);
        }

        WaveCounts plus(WaveCounts other) {
            return new WaveCounts(installed + other.installed, failed + other.failed, rolledBack + other.rolledBack,
                    skipped + other.skipped, pending + other.pending, running + other.running,
                    canceled + other.canceled, expired + other.expired, retried + other.retried,
                    canceling + other.canceling, denied + other.denied);
        }
    }

    private static RolloutView.HealthGateView healthGate(HealthBounds bounds) {
        return bounds == null ? null : new RolloutView.HealthGateView(bounds.maxFailureRate(),
                bounds.maxUnhealthyRatio(), bounds.maxCrashesPerReport(), bounds.minReports(), bounds.requireWindow());
    }

    private static RolloutView.RolloutRateView rolloutRate(io.updraft.rollout.domain.RolloutRate rate) {
        return rate == null ? null : new RolloutView.RolloutRateView(rate.maximumPerMinute(), rate.baseRatePerMinute(),
                rate.incrementFactor(), rate.numberOfNotifiedThings(), rate.numberOfSucceededThings());
    }

    public static ActionView of(DeviceAction action) {
        return new ActionView(action.actionId(), action.deviceId(), action.wave(), action.cohort(), action.releaseId(),
                action.version(), action.rollback(), action.state().name());
    }

    public static DeviceView of(InventoryDevice device) {
        return new DeviceView(device.deviceId(), device.attributes(),
                HardwareCompatibility.cohortOf(device.model(), device.revision()), device.installedReleaseId(),
                device.installedVersion(), device.lastSeen());
    }
}
