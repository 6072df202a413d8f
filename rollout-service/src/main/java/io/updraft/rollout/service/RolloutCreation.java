package io.updraft.rollout.service;

import io.updraft.events.ActionType;
import io.updraft.events.EventMeta;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.config.RolloutConfig;
import io.updraft.rollout.domain.RolloutPlan;
import io.updraft.rollout.domain.RolloutPlanner;
import io.updraft.rollout.domain.RolloutState;
import io.updraft.rollout.domain.WaveSchedule;
import io.updraft.rollout.mapping.JsonColumns;
import io.updraft.rollout.repository.AssignmentRepository;
import io.updraft.rollout.repository.AssignmentRepository.AcceptedHardware;
import io.updraft.rollout.repository.CatalogRelease;
import io.updraft.rollout.repository.ReleaseCatalog;
import io.updraft.rollout.repository.Rollout;
import io.updraft.rollout.repository.RolloutRepository;
import io.updraft.rollout.repository.WaveRepository;
import io.updraft.rollout.rest.CreateRolloutRequest;
import io.updraft.support.outbox.Outbox;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates a rollout in one transaction: the rollout, every device's wave, wave 1's actions and all their events.
 * Any refusal throws before commit, so bad input changes nothing.
 */
@ApplicationScoped
public class RolloutCreation {
    @Inject
    RolloutConfig config;
    @Inject
    ReleaseCatalog catalog;
    @Inject
    AssignmentRepository assignments;
    @Inject
    RolloutRepository rollouts;
    @Inject
    WaveRepository waves;
    @Inject
    WaveLauncher launcher;
    @Inject
    WaveProgression progression;
    @Inject
    Outbox outbox;

    @Transactional
    public Rollout create(CreateRolloutRequest request) {
        WaveSchedule schedule = schedule(request.waves());
        Duration soakTime = soakTime(request.soakTime());
        CatalogRelease release = catalog.find(request.releaseId())
                .orElseThrow(() -> ProblemException.unprocessable("release " + request.releaseId() + " is unknown"));
        if (release.revoked()) {
            throw ProblemException.unprocessable("release " + release.releaseId() + " is revoked");
        }
        String targetJson = JsonColumns.write(request.target() == null ? Map.of() : request.target());
        List<AcceptedHardware> accepted = assignments.candidateHardware(targetJson, release.releaseId()).stream()
                .filter(hardware -> release.accepts(hardware.model(), hardware.revision()))
                .map(h -> new AcceptedHardware(h.model(), h.revision(),
                        HardwareCompatibility.cohortOf(h.model(), h.revision())))
                .toList();
        if (accepted.isEmpty()) {
            throw noDevice(release);
        }
        Rollout rollout = newRollout(request, release, targetJson, schedule, soakTime);
        rollouts.persist(rollout);
        rollouts.flush();
        Map<String, Integer> cohortSizes = assignments.assignTargetSet(rollout.id, targetJson, release.releaseId(),
                accepted);
        if (cohortSizes.isEmpty()) {
            throw noDevice(release);
        }
        RolloutPlan plan = RolloutPlanner.plan(schedule, cohortSizes);
        assignments.applyPlan(rollout.id, plan);
        waves.create(rollout.id, plan);
        outbox.append(new RolloutCreated(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rollout.id,
                rollout.name, release.releaseId(), release.version(), schedule.count(), plan.deviceCount(),
                List.copyOf(plan.cumulative().keySet()),
                new RollbackPolicy(rollout.failureRateThreshold, rollout.minSampleSize)));
        launcher.start(rollout, 1, release);
        progression.reassess(rollout);
        return rollout;
    }

    private Rollout newRollout(CreateRolloutRequest request, CatalogRelease release, String targetJson,
            WaveSchedule schedule, Duration soakTime) {
        Rollout rollout = new Rollout();
        rollout.id = UUID.randomUUID().toString();
        rollout.name = request.name() == null || request.name().isBlank()
                ? release.name() + " " + release.version()
                : request.name();
        rollout.releaseId = release.releaseId();
        rollout.version = release.version();
        rollout.target = targetJson;
        rollout.state = RolloutState.RUNNING;
        rollout.currentWave = 1;
        rollout.waveCount = schedule.count();
        rollout.errorThreshold = or(request.errorThreshold(), config.defaultErrorThreshold());
        rollout.successThreshold = or(request.successThreshold(), config.defaultSuccessThreshold());
        rollout.soakTimeMillis = soakTime.toMillis();
        rollout.actionType = request.actionType() == null ? ActionType.FORCED : request.actionType();
        if (request.rollbackPolicy() == null) {
            rollout.failureRateThreshold = config.rollbackPolicy().failureRateThreshold();
            rollout.minSampleSize = config.rollbackPolicy().minSampleSize();
        } else {
            rollout.failureRateThreshold = request.rollbackPolicy().failureRateThreshold();
            rollout.minSampleSize = request.rollbackPolicy().minSampleSize();
        }
        rollout.createdAt = Instant.now();
        rollout.updatedAt = rollout.createdAt;
        return rollout;
    }

    private static WaveSchedule schedule(List<Integer> percents) {
        if (percents == null) {
            return WaveSchedule.SINGLE_WAVE;
        }
        try {
            return new WaveSchedule(percents);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    private Duration soakTime(String text) {
        if (text == null || text.isBlank()) {
            return config.defaultSoakTime();
        }
        try {
            Duration soak = Duration.parse(text);
            if (soak.isNegative()) {
                throw ProblemException.badRequest("soakTime must not be negative: " + text);
            }
            return soak;
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("soakTime must be an ISO-8601 duration such as PT30S, got " + text);
        }
    }

    private static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    private static ProblemException noDevice(CatalogRelease release) {
        return ProblemException.unprocessable("no device matches the target, is compatible with release "
                + release.releaseId() + " and is not already on it");
    }
}
