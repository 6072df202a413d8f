package io.updraft.rollout.service;

import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.updraft.events.ActionType;
import io.updraft.events.EventMeta;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.RolloutEvent.RollbackPolicy;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.events.RolloutEvent.RolloutScheduled;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.config.RolloutConfig;
import io.updraft.rollout.domain.CatalogRelease;
import io.updraft.rollout.domain.CohortRow;
import io.updraft.rollout.domain.ErrorAction;
import io.updraft.rollout.domain.Exclusion;
import io.updraft.rollout.domain.JsonColumns;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.domain.RolloutPlan;
import io.updraft.rollout.domain.RolloutPlanner;
import io.updraft.rollout.domain.RolloutState;
import io.updraft.rollout.domain.WaveSchedule;
import io.updraft.rollout.persistence.AssignmentRepository;
import io.updraft.rollout.persistence.AssignmentRepository.AcceptedHardware;
import io.updraft.rollout.persistence.AssignmentRepository.HardwareCount;
import io.updraft.rollout.persistence.ReleaseCatalog;
import io.updraft.rollout.persistence.RolloutRepository;
import io.updraft.rollout.persistence.TargetSelection;
import io.updraft.rollout.persistence.WaveRepository;
import io.updraft.support.outbox.Outbox;
import io.updraft.support.tenant.Tenants;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Creates a rollout in one transaction: the rollout, every device's wave, wave 1's actions (or the wait for its
 * approval) and all their events. Any refusal throws before commit, so bad input changes nothing. The preview runs
 * the same checks and the same plan over the same selection, and stores nothing.
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
    WaveProgression progression;
    @Inject
    Outbox outbox;
    @Inject
    CohortRollback rollback;
    @Inject
    HealthGate healthGate;
    @Inject
    FanoutStages stages;
    @Inject
    Tenants tenants;
    @Inject
    RolloutsInFlight inFlight;

    /**
     * One transaction plans the whole target set (a million rollout_device rows at fleet scale): allowed 10 minutes,
     * since on a loaded 2-core machine a 1M plan took longer than the 60 s default and was rolled back with a 500.
     */
    @Transactional
    @TransactionConfiguration(timeout = 600)
    public Rollout create(NewRollout request) {
        return createInTransaction(request);
    }

    /**
     * {@link #create} in the caller's transaction: the start-up rehearsal ({@link WarmUpRehearsal}) creates a rollout
     * in one it rolls back, and a transaction's timeout can only be set where it begins.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Rollout createInTransaction(NewRollout request) {
        long started = System.nanoTime();
        RolloutSpec spec = spec(request);
        CatalogRelease release = usableRelease(spec.releaseId());
        TargetSelection selection = spec.selection();
        List<HardwareCount> candidates = assignments.candidateHardware(selection);
        List<AcceptedHardware> accepted = acceptedHardware(candidates, release);
        rollback.checkRollbackRelease(request.rollbackRelease(), release, accepted);
        Rollout rollout = newRollout(request, spec, release);
        if (rollout.state != RolloutState.SCHEDULED) {
            // it starts now: the tenant's maxRolloutsInFlight is decided here, before anything is written
            inFlight.admit(": nothing was created; end or abort one, or ask for a higher quota");
        }
        rollouts.persist(rollout);
        rollouts.flush();
        // each wave's thresholds and error action, resolved against the rollout's: the wave rows store them
        WaveSchedule schedule = spec.schedule().withDefaults(rollout.successThreshold, rollout.errorThreshold,
                rollout.errorAction);
        long assigning = System.nanoTime();
        Planned planned = schedule.grouped()
                ? assignGroups(rollout.id, schedule, spec, selection, accepted, release)
                : assignPercentages(rollout.id, schedule, spec, selection, accepted, candidates, release);
        long assignNanos = System.nanoTime() - assigning;
        RolloutPlan plan = planned.plan();
        waves.create(rollout.id, plan, planned.cohorts(), spec.approvals());
        List<CohortRow> cohorts = waves.cohorts(rollout.id);
        outbox.append(new RolloutCreated(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rollout.id,
                rollout.name, release.releaseId(), release.version(), schedule.count(), plan.deviceCount(),
                cohorts.stream().map(CohortRow::cohort).toList(),
                JsonColumns.rollbackPolicy(rollout.rollbackPolicy),
                cohorts.stream().collect(Collectors.toMap(CohortRow::cohort,
                        CohortRow::deviceCount, Integer::sum, TreeMap::new))));
        if (rollout.state == RolloutState.SCHEDULED) {
            outbox.append(new RolloutScheduled(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                    rollout.id, rollout.startAt));
        } else {
            progression.openWaves(rollout, 1, 0);
        }
        stages.planned(started, assignNanos);
        return rollout;
    }

    /** The plan as inserted into rollout_device, and the hardware cohort of each of its strata. */
    private record Planned(RolloutPlan plan, Map<String, String> cohorts) {
    }

    /**
     * Percentage waves: count the strata, plan in Java, insert the target set already in its waves (one statement).
     */
    private Planned assignPercentages(String rolloutId, WaveSchedule schedule, RolloutSpec spec,
            TargetSelection selection, List<AcceptedHardware> accepted, List<HardwareCount> candidates,
            CatalogRelease release) {
        Map<String, Integer> counted = strata(selection, accepted, candidates);
        if (counted.isEmpty()) {
            throw noDevice(release);
        }
        RolloutPlan plan = RolloutPlanner.plan(schedule, counted, spec.canaryPerCohort());
        AssignmentRepository.Assigned assigned = assignments.assignPlanned(rolloutId, selection, accepted, plan);
        if (assigned.sizes().isEmpty()) {
            throw noDevice(release);
        }
        if (!assigned.sizes().equals(counted)) {
            // the inventory changed between counting and inserting: plan exactly what was inserted
            plan = RolloutPlanner.plan(schedule, assigned.sizes(), spec.canaryPerCohort());
            assignments.applyPlan(rolloutId, plan);
        }
        return new Planned(plan, assigned.cohorts());
    }

    /** Explicit groups: one set-based insert per group, in order; the plan is what they inserted. */
    private Planned assignGroups(String rolloutId, WaveSchedule schedule, RolloutSpec spec,
            TargetSelection selection, List<AcceptedHardware> accepted, CatalogRelease release) {
        AssignmentRepository.Taken taken = assignments.assignGroups(rolloutId, selection, accepted, schedule,
                spec.canaryPerCohort());
        if (taken.taken().isEmpty()) {
            throw noDeviceInGroups(release);
        }
        return new Planned(RolloutPlanner.planGroups(schedule, taken.taken(), 0), taken.cohorts());
    }

    /** How many device ids each exclusion reason of a preview names. */
    public static final int EXCLUSION_SAMPLE = 20;

    /**
     * A preview: the plan, the devices left out (or hardly reachable) by reason, and the moment before which a
     * device last seen counts as offline (now minus the request's {@code actionDeadline}, else its wave timeout).
     */
    public record Preview(RolloutPlan plan, List<Exclusion> exclusions, Instant offlineBefore) {
    }

    /** The plan {@link #create} would make now, with the same 4xx for bad input; nothing is stored or sent. */
    @Transactional
    public Preview preview(NewRollout request) {
        RolloutSpec spec = spec(request);
        CatalogRelease release = usableRelease(spec.releaseId());
        TargetSelection selection = spec.selection();
        List<HardwareCount> candidates = assignments.candidateHardware(selection);
        List<AcceptedHardware> accepted = compatible(candidates, release);
        Instant offlineBefore = Instant.now()
                .minus(spec.actionDeadline() != null ? spec.actionDeadline() : spec.waveTimeout());
        List<Exclusion> excluded = assignments.exclusions(selection, accepted, offlineBefore, EXCLUSION_SAMPLE);
        try {
            if (accepted.isEmpty()) {
                throw noDevice(release);
            }
            rollback.checkRollbackRelease(request.rollbackRelease(), release, accepted);
            return new Preview(plan(request, spec, release, selection, candidates, accepted), excluded,
                    offlineBefore);
        } catch (NoDeviceMatches nothing) {
            // the operator's next question: where did the devices the filter selects go?
            throw excluded.isEmpty() ? nothing : ProblemException.unprocessable(nothing.getMessage() + "; the target"
                    + " selects " + leftOut(excluded));
        }
    }

    /** "2 already on the release (a, b), 22 incompatible with it (c, d, e, …)": the preview's 422 when none remain. */
    static String leftOut(List<Exclusion> excluded) {
        return excluded.stream().map(e -> e.devices() + " " + switch (e.reason()) {
            case Exclusion.ALREADY_ON_RELEASE -> "already on the release";
            case Exclusion.INCOMPATIBLE -> "incompatible with it";
            case Exclusion.OFFLINE -> "offline past the deadline";
            default -> e.reason();
        } + " (" + String.join(", ", e.sample().subList(0, Math.min(3, e.sample().size())))
                + (e.devices() > 3 ? ", …)" : ")")).collect(java.util.stream.Collectors.joining(", "));
    }

    private RolloutPlan plan(NewRollout request, RolloutSpec spec, CatalogRelease release, TargetSelection selection,
            List<HardwareCount> candidates, List<AcceptedHardware> accepted) {
        WaveSchedule schedule = spec.schedule().withDefaults(
                or(request.successThreshold(), config.defaultSuccessThreshold()),
                or(request.errorThreshold(), config.defaultErrorThreshold()),
                request.errorAction() == null ? ErrorAction.PAUSE : request.errorAction());
        if (schedule.grouped()) {
            AssignmentRepository.GroupCounts counts = assignments.previewGroups(selection, accepted, schedule,
                    spec.canaryPerCohort());
            if (counts.taken().isEmpty()) {
                throw noDeviceInGroups(release);
            }
            return RolloutPlanner.planGroups(schedule, counts.taken(), counts.ungrouped());
        }
        Map<String, Integer> strata = strata(selection, accepted, candidates);
        if (strata.isEmpty()) {
            throw noDevice(release);
        }
        return RolloutPlanner.plan(schedule, strata, spec.canaryPerCohort());
    }

    /** The waves that wait for approval in the request (for the preview's wave list). */
    public java.util.Set<Integer> approvals(NewRollout request) {
        return spec(request).approvals();
    }

    private RolloutSpec spec(NewRollout request) {
        RolloutRates.of(request.rolloutRate()); // a bad rate is a 400 for the preview as for the creation
        return RolloutSpec.of(request, config.defaultCanaryPerCohort(), config.defaultSoakTime(),
                config.defaultWaveTimeout());
    }

    private CatalogRelease usableRelease(String releaseId) {
        CatalogRelease release = catalog.find(releaseId)
                .orElseThrow(() -> ProblemException.unprocessable("release " + releaseId + " is unknown"));
        if (release.revoked()) {
            throw ProblemException.unprocessable("release " + release.releaseId() + " is revoked");
        }
        return release;
    }

    /**
     * Devices per canary stratum of the target set. Without {@code cohortBy} a stratum is a hardware cohort, and the
     * candidates' counts per (model, revision) already say how many devices each has: no second scan of the inventory
     * (a million rows). With {@code cohortBy} the strata are counted in SQL.
     */
    private Map<String, Integer> strata(TargetSelection selection, List<AcceptedHardware> accepted,
            List<HardwareCount> candidates) {
        if (!selection.cohortBy().isEmpty()) {
            return assignments.strata(selection, accepted);
        }
        Map<String, Integer> strata = new TreeMap<>();
        for (HardwareCount count : candidates) {
            // the strata query joins on model = model (a device without a model takes no part) and on revision
            // "is not distinct from"
            accepted.stream()
                    .filter(h -> count.model() != null && count.model().equals(h.model())
                            && Objects.equals(h.revision(), count.revision()))
                    .findFirst()
                    .ifPresent(h -> strata.merge(h.cohort(), Math.toIntExact(count.devices()), Integer::sum));
        }
        return strata;
    }

    private List<AcceptedHardware> acceptedHardware(List<HardwareCount> candidates, CatalogRelease release) {
        List<AcceptedHardware> accepted = compatible(candidates, release);
        if (accepted.isEmpty()) {
            throw noDevice(release);
        }
        return accepted;
    }

    /** The candidates' hardware the release accepts, each with its cohort (empty if none). */
    private static List<AcceptedHardware> compatible(List<HardwareCount> candidates, CatalogRelease release) {
        return candidates.stream()
                .filter(hardware -> release.accepts(hardware.model(), hardware.revision()))
                .map(h -> new AcceptedHardware(h.model(), h.revision(),
                        HardwareCompatibility.cohortOf(h.model(), h.revision())))
                .toList();
    }

    private Rollout newRollout(NewRollout request, RolloutSpec spec, CatalogRelease release) {
        Rollout rollout = new Rollout();
        rollout.id = UUID.randomUUID().toString();
        rollout.tenantId = tenants.current();
        rollout.name = request.name() == null || request.name().isBlank()
                ? release.name() + " " + release.version()
                : request.name();
        rollout.releaseId = release.releaseId();
        rollout.version = release.version();
        rollout.target = JsonColumns.write(spec.target());
        rollout.filter = spec.filterText();
        rollout.cohortBy = JsonColumns.write(spec.cohortBy());
        rollout.canaryPerCohort = spec.canaryPerCohort();
        rollout.createdAt = Instant.now();
        // the target set and the waves are fixed now; the start time only holds back wave 1
        rollout.startAt = spec.startAt();
        rollout.state = spec.startAt() != null && spec.startAt().isAfter(rollout.createdAt)
                ? RolloutState.SCHEDULED
                : RolloutState.RUNNING;
        rollout.waveTimeoutMillis = spec.waveTimeout().toMillis();
        if (spec.maintenanceWindow() != null) {
            rollout.windowCron = spec.maintenanceWindow().cron();
            rollout.windowDuration = spec.maintenanceWindow().duration();
            rollout.windowZone = spec.maintenanceWindow().zone();
        }
        rollout.actionDeadlineMillis = spec.actionDeadline() == null ? null : spec.actionDeadline().toMillis();
        rollout.retries = request.retries() == null ? 0 : request.retries();
        rollout.dynamic = Boolean.TRUE.equals(request.dynamic());
        rollout.confirmationRequired = Boolean.TRUE.equals(request.confirmationRequired());
        rollout.confirmationDeadlineMillis = spec.confirmationDeadline() == null ? null
                : spec.confirmationDeadline().toMillis();
        RolloutRates.store(RolloutRates.of(request.rolloutRate()), rollout);
        rollout.currentWave = 1;
        rollout.waveCount = spec.schedule().count();
        rollout.errorThreshold = or(request.errorThreshold(), config.defaultErrorThreshold());
        rollout.successThreshold = or(request.successThreshold(), config.defaultSuccessThreshold());
        rollout.errorAction = request.errorAction() == null ? ErrorAction.PAUSE : request.errorAction();
        rollout.soakTimeMillis = spec.soakTime().toMillis();
        rollout.actionType = request.actionType() == null ? ActionType.FORCED : request.actionType();
        RollbackPolicy policy = RollbackPolicies.resolve(request.rollbackPolicy(), config.rollbackPolicy());
        rollout.rollbackPolicy = JsonColumns.write(policy);
        rollout.failureRateThreshold = policy.failureRateThreshold();
        rollout.minSampleSize = policy.minSampleSize();
        rollout.errorMinSample = request.errorMinSample() == null ? config.defaultErrorMinSample()
                : request.errorMinSample();
        rollout.healthBounds(healthGate.bounds(request.healthGate()));
        rollout.rollbackReleaseId = request.rollbackRelease() == null || request.rollbackRelease().isBlank()
                ? null
                : request.rollbackRelease();
        rollout.updatedAt = rollout.createdAt;
        return rollout;
    }

    private static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    private static ProblemException noDeviceInGroups(CatalogRelease release) {
        return new NoDeviceMatches("no device matches the target, the filter and any group's filter, is"
                + " compatible with release " + release.releaseId() + " and is not already on it");
    }

    private static ProblemException noDevice(CatalogRelease release) {
        return new NoDeviceMatches("no device matches the target and filter, is compatible with release "
                + release.releaseId() + " and is not already on it");
    }

    /** The 422 of a request that leaves no device to update. */
    private static final class NoDeviceMatches extends ProblemException {
        NoDeviceMatches(String detail) {
            super(422, "Unprocessable content", detail);
        }
    }
}
