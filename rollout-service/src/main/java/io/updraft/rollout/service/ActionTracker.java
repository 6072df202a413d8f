package io.updraft.rollout.service;

import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RolloutActionRetried;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.CatalogRelease;
import io.updraft.rollout.domain.CohortRow;
import io.updraft.rollout.domain.CohortState;
import io.updraft.rollout.domain.DeviceAction;
import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.persistence.ActionReports;
import io.updraft.rollout.persistence.ActionRepository;
import io.updraft.rollout.persistence.ReleaseCatalog;
import io.updraft.rollout.persistence.RetryRepository;
import io.updraft.rollout.persistence.RolloutRepository;
import io.updraft.rollout.persistence.WaveRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Applies what devices report about their actions. Lock order is always rollout row first, then action rows — the
 * same order rollbacks and aborts use — so concurrent decisions wait for each other instead of deadlocking.
 */
@ApplicationScoped
public class ActionTracker {
    @Inject
    ActionRepository actions;
    @Inject
    RolloutRepository rollouts;
    @Inject
    WaveRepository waves;
    @Inject
    WaveProgression progression;
    @Inject
    CohortRollback cohortRollback;
    @Inject
    RetryRepository retries;
    @Inject
    ReleaseCatalog catalog;
    @Inject
    Outbox outbox;
    @Inject
    ActionReports actionReports;

    /**
     * A polled batch's action reports (first deliveries, in offset order) with the outcome of {@link #report} one by
     * one, in a handful of statements: the actions' rollouts are locked once each, in id order (rollout row first,
     * then action rows, as everywhere); the actions read by one query under those locks; each action's reports folded
     * in memory to the state it ends in ({@link ActionFold}); the changed actions moved by one statement, the wave
     * counters raised by one; then each rollout whose current wave got a terminal result is reassessed once. Actions
     * that meet a rare rule (a failure within the retry budget, an answer to a cancel) take {@link #report}, report
     * by report, in the same transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reportAll(List<ReportBatch.ActionReport> reports) {
        if (reports.isEmpty()) {
            return;
        }
        Set<Long> ids = new HashSet<>();
        reports.forEach(report -> ids.add(report.actionId()));
        Map<String, Rollout> locked = new LinkedHashMap<>();
        Map<String, ActionFold.RolloutFacts> facts = new HashMap<>();
        for (String rolloutId : actionReports.rolloutsOf(ids)) {
            rollouts.lock(rolloutId).ifPresent(rollout -> {
                locked.put(rolloutId, rollout);
                facts.put(rolloutId, new ActionFold.RolloutFacts(rollout.retries, rollout.state.isFinal(),
                        rollout.currentWave));
            });
        }
        Map<Long, ActionReports.Stored> stored = actionReports.find(ids);
        ActionFold fold = ActionFold.of(stored, facts, reports);
        actionReports.moveAll(fold.changes());
        waves.countFinishedAll(fold.counts());
        sendBackInstallsOfRolledBackCohorts(locked, stored, fold.changes());
        fold.perReport().forEach(this::report);
        fold.reassess().forEach(rolloutId -> progression.reassess(locked.get(rolloutId)));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void report(String deviceId, long actionId, ActionState next) {
        report(new ReportBatch.ActionReport(deviceId, actionId, next));
    }

    /**
     * Reports for actions that are not ours, belong to another device, or are already terminal are ignored; so is
     * progress of a CANCELING action (sent before the device saw the cancel), unless it rejects the cancel.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void report(ReportBatch.ActionReport report) {
        long actionId = report.actionId();
        ActionState next = report.next();
        Optional<DeviceAction> known = actions.find(actionId)
                .filter(action -> action.deviceId().equals(report.deviceId()));
        if (known.isEmpty()) {
            return;
        }
        DeviceAction action = known.get();
        if (ActionFold.answersCancel(action.state(), action.rollback(), report)) {
            answerToCancel(rollouts.lock(action.rolloutId()).orElseThrow(), action, next);
            return;
        }
        if (action.state().isTerminal() || action.state() == ActionState.CANCELING) {
            return;
        }
        Rollout rollout = rollouts.lock(action.rolloutId()).orElseThrow();
        if (next == ActionState.FAILED && retried(rollout, action)) {
            return;
        }
        if (!actions.advance(actionId, next)) {
            return;
        }
        if (action.rollback() || !next.isTerminal()) {
            // rollback actions never count towards a wave's progress or its error ratio
            return;
        }
        count(rollout, action, next);
        if (next == ActionState.SUCCEEDED) {
            cohortRollback.sendBackIfRolledBack(rollout, action.cohort()); // it had rejected the rollback's cancel
        }
        if (action.wave() == rollout.currentWave) {
            progression.reassess(rollout);
        }
    }

    /**
     * The device's answer to a cancel this service sent (abort, cohort rollback), as the gateway reports it: it
     * confirmed (CANCELED), rejected the cancel and goes on (RUNNING, still open), or did not carry it out and
     * finished — rejected it, or finished before it saw it — so its result is how the action ends, as it is at the
     * gateway. Never retried; counted once (the cancel itself was not counted); a success in a rolled-back cohort is
     * sent back like the cohort's other installs. (A result for an action CANCELED at once as never sent means it
     * reached the device another way: the result wins too.)
     */
    private void answerToCancel(Rollout rollout, DeviceAction action, ActionState answer) {
        actionReports.moveAll(List.of(new ActionReports.Change(action.actionId(), action.state(), answer)));
        if (answer.isTerminal()) {
            count(rollout, action, answer);
        }
        if (answer == ActionState.SUCCEEDED) {
            cohortRollback.sendBackIfRolledBack(rollout, action.cohort());
        }
    }

    /**
     * Installs the fold moved to SUCCEEDED in a rolled-back cohort — the device rejected the rollback's cancel and
     * went on — are sent back like the cohort's other installs; one read of the cohorts per rollout with a success.
     */
    private void sendBackInstallsOfRolledBackCohorts(Map<String, Rollout> locked,
            Map<Long, ActionReports.Stored> stored, List<ActionReports.Change> changes) {
        Map<String, Set<String>> succeededCohorts = new TreeMap<>();
        for (ActionReports.Change change : changes) {
            DeviceAction action = stored.get(change.actionId()).action();
            if (change.to() == ActionState.SUCCEEDED && !action.rollback()) {
                succeededCohorts.computeIfAbsent(action.rolloutId(), id -> new TreeSet<>()).add(action.cohort());
            }
        }
        succeededCohorts.forEach((rolloutId, cohorts) -> {
            Set<String> rolledBack = waves.cohorts(rolloutId).stream()
                    .filter(cohort -> cohort.state() == CohortState.ROLLED_BACK)
                    .map(CohortRow::cohort).collect(Collectors.toSet());
            cohorts.stream().filter(rolledBack::contains)
                    .forEach(cohort -> cohortRollback.sendBackIfRolledBack(locked.get(rolloutId), cohort));
        });
    }

    private boolean rolledBack(Rollout rollout, String cohort) {
        return waves.cohorts(rollout.id).stream()
                .anyMatch(row -> row.cohort().equals(cohort) && row.state() == CohortState.ROLLED_BACK);
    }

    /** A non-rollback action that just became terminal, counted for its wave and cohort. */
    private void count(Rollout rollout, DeviceAction action, ActionState ended) {
        waves.countFinished(rollout.id, action.wave(), action.cohort(), switch (ended) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case EXPIRED -> "expired";
            default -> "canceled"; // CANCELED, and DENIED: ended without a failure

        });
    }

    /**
     * A failed install within the rollout's retry budget is sent again as a new action, in this transaction: the
     * failed attempt becomes RETRIED, the next one SCHEDULED with its InstallRequested and RolloutActionRetried in the
     * outbox. Nothing is counted: the device is judged by its last attempt.
     *
     * @return true if the failure was retried
     */
    private boolean retried(Rollout rollout, DeviceAction action) {
        if (action.rollback() || rollout.retries == 0 || rollout.state.isFinal()
                || retries.attemptOf(action.actionId()) > rollout.retries || rolledBack(rollout, action.cohort())) {
            return false; // a rolled-back cohort's install failing after its device rejected the cancel: it ends
        }
        if (!actions.advance(action.actionId(), ActionState.RETRIED)) {
            return true; // no longer open: a concurrent decision (cancel, or this very report redelivered) won
        }
        retries.scheduleNextAttempt(action.actionId()).ifPresent(next -> {
            CatalogRelease release = catalog.find(action.releaseId()).orElseThrow();
            outbox.appendAll(List.of(DeviceCommands.waveInstall(action, next.actionId(), release, rollout),
                    new RolloutActionRetried(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                            rollout.id, action.deviceId(), action.wave(), action.actionId(), next.actionId(),
                            next.attempt())));
        });
        return true;
    }
}
