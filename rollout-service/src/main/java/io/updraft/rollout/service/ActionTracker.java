package io.updraft.rollout.service;

import io.updraft.events.EventMeta;
import io.updraft.events.RolloutEvent.RolloutActionRetried;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.mapping.DeviceCommands;
import io.updraft.rollout.repository.ActionReports;
import io.updraft.rollout.repository.ActionReports.Stored;
import io.updraft.rollout.repository.ActionRepository;
import io.updraft.rollout.repository.CatalogRelease;
import io.updraft.rollout.repository.DeviceAction;
import io.updraft.rollout.repository.ReleaseCatalog;
import io.updraft.rollout.repository.RetryRepository;
import io.updraft.rollout.repository.Rollout;
import io.updraft.rollout.repository.RolloutRepository;
import io.updraft.rollout.repository.WaveRepository;
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
     * that meet a rare rule (a failure within the retry budget, a result after a cancel) take {@link #report}, report
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
        Map<Long, Stored> stored = actionReports.find(ids);
        Set<Long> afterCancel = resultsAfterCancel(stored, reports);
        ActionFold fold = ActionFold.of(stored, facts,
                reports.stream().filter(report -> !afterCancel.contains(report.actionId())).toList());
        actionReports.moveAll(fold.changes());
        waves.countFinishedAll(fold.counts());
        reports.stream().filter(report -> afterCancel.contains(report.actionId()))
                .forEach(report -> report(report.deviceId(), report.actionId(), report.next()));
        fold.perReport().forEach(report -> report(report.deviceId(), report.actionId(), report.next()));
        fold.reassess().forEach(rolloutId -> progression.reassess(locked.get(rolloutId)));
    }

    /** Reports for actions that are not ours, belong to another device, or are already terminal are ignored. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void report(String deviceId, long actionId, ActionState next) {
        Optional<DeviceAction> known = actions.find(actionId).filter(action -> action.deviceId().equals(deviceId));
        if (known.isEmpty()) {
            return;
        }
        DeviceAction action = known.get();
        if (action.state().isTerminal()) {
            if (isResultAfterCancel(action, next)) {
                resultAfterCancel(rollouts.lock(action.rolloutId()).orElseThrow(), action, next);
            }
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
        waves.countFinished(rollout.id, action.wave(), action.cohort(), switch (next) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case EXPIRED -> "expired";
            default -> "canceled";
        });
        if (action.wave() == rollout.currentWave) {
            progression.reassess(rollout);
        }
    }

    /**
     * An install this service canceled (abort, cohort rollback) whose device reports a result: it did not carry the
     * cancel out — it rejected it, or finished before it saw it (the gateway then reports the result and never
     * ActionCanceled) — so the result is how the action ends, as it is at the gateway. A success in a rolled-back
     * cohort is sent back like the cohort's other installs. Counted once: the cancel was not counted.
     */
    private void resultAfterCancel(Rollout rollout, DeviceAction action, ActionState result) {
        if (result == ActionState.SUCCEEDED && cohortRollback.sendBackLateInstall(rollout, action)) {
            return;
        }
        actionReports.moveAll(List.of(new ActionReports.Change(action.actionId(), ActionState.CANCELED, result)));
        waves.countFinished(rollout.id, action.wave(), action.cohort(),
                result == ActionState.SUCCEEDED ? "succeeded" : "failed");
    }

    private static boolean isResultAfterCancel(DeviceAction action, ActionState next) {
        return action.state() == ActionState.CANCELED && !action.rollback()
                && (next == ActionState.SUCCEEDED || next == ActionState.FAILED);
    }

    /** Actions of the batch with a result after their cancel ({@link #resultAfterCancel}): applied report by report. */
    private static Set<Long> resultsAfterCancel(Map<Long, Stored> stored, List<ReportBatch.ActionReport> reports) {
        Set<Long> afterCancel = new HashSet<>();
        for (ReportBatch.ActionReport report : reports) {
            Stored action = stored.get(report.actionId());
            if (action != null && action.action().deviceId().equals(report.deviceId())
                    && isResultAfterCancel(action.action(), report.next())) {
                afterCancel.add(report.actionId());
            }
        }
        return afterCancel;
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
                || retries.attemptOf(action.actionId()) > rollout.retries) {
            return false;
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
