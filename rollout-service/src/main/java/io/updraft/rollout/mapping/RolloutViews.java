package io.updraft.rollout.mapping;

import io.updraft.events.HardwareCompatibility;
import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.HealthBounds;
import io.updraft.rollout.domain.WaveRules;
import io.updraft.rollout.repository.ActionRepository;
import io.updraft.rollout.repository.DeviceAction;
import io.updraft.rollout.repository.InventoryDevice;
import io.updraft.rollout.repository.Rollout;
import io.updraft.rollout.repository.WaveRepository;
import io.updraft.rollout.rest.ActionView;
import io.updraft.rollout.rest.DeviceView;
import io.updraft.rollout.rest.RolloutView;
import io.updraft.rollout.rest.RolloutView.CohortView;
import io.updraft.rollout.rest.RolloutView.MaintenanceWindowView;
import io.updraft.rollout.rest.RolloutView.RollbackActionsView;
import io.updraft.rollout.rest.RolloutView.WaveView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Builds the API's views; entities and rows never go on the wire. */
@ApplicationScoped
public class RolloutViews {
    @Inject
    WaveRepository waves;
    @Inject
    ActionRepository actions;

    public RolloutView of(Rollout rollout) {
        Map<Integer, Map<ActionState, Long>> installs = actions.installCounts(rollout.id);
        Map<ActionState, Long> rollbacks = actions.rollbackCounts(rollout.id);
        return new RolloutView(rollout.id, rollout.name, rollout.releaseId, rollout.version, rollout.state.name(),
                rollout.currentWave, rollout.createdAt,
                waves.waves(rollout.id).stream().map(wave -> {
                    Map<ActionState, Long> counts = installs.getOrDefault(wave.wave(), Map.of());
                    long succeeded = counts.getOrDefault(ActionState.SUCCEEDED, 0L);
                    long failed = counts.getOrDefault(ActionState.FAILED, 0L);
                    long running = counts.getOrDefault(ActionState.RUNNING, 0L);
                    long canceled = counts.getOrDefault(ActionState.CANCELED, 0L);
                    long expired = counts.getOrDefault(ActionState.EXPIRED, 0L);
                    // pending: sent but not started, or not sent yet (including devices of rolled-back cohorts)
                    long pending = Math.max(0,
                            wave.deviceCount() - succeeded - failed - running - canceled - expired);
                    WaveRules rules = wave.rules(rollout);
                    return new WaveView(wave.wave(), wave.percent(), wave.deviceCount(), wave.state().name(),
                            succeeded, failed, running, pending, canceled, wave.approval(), expired, wave.timedOut(),
                            counts.getOrDefault(ActionState.RETRIED, 0L), wave.name(), wave.filter(),
                            rules.successThreshold(), rules.errorThreshold(), rules.errorAction().name());
                }).toList(),
                waves.cohorts(rollout.id).stream()
                        .map(c -> new CohortView(c.cohort(), c.deviceCount(), c.state().name(), c.rollbackReason()))
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
                rolloutRate(rollout.rate()));
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
