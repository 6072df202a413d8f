package io.updraft.rollout.service;

import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.DeviceAction;
import io.updraft.rollout.persistence.ActionReports.Change;
import io.updraft.rollout.persistence.ActionReports.Stored;
import io.updraft.rollout.persistence.WaveRepository.Finished;
import io.updraft.rollout.service.ReportBatch.ActionReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a batch's action reports do to the actions they name, decided in memory: each action's reports are folded in
 * offset order from its stored state with the rules {@link ActionTracker#report} applies to one report (a report
 * for an unknown action or another device's action is ignored; a terminal action never changes; RUNNING only from
 * SCHEDULED; the other states from SCHEDULED or RUNNING; a non-rollback action that ends is counted once for its
 * wave and cohort, and its rollout is reassessed if that wave is the current one). An action that meets a rare rule
 * — a failure within the retry budget, the device's answer to a cancel ({@link #answersCancel}), a rollout not
 * locked — is left whole to {@link ActionTracker#report}, one report at a time: {@link #perReport()}. No I/O here.
 */
public final class ActionFold {
    /** What the fold needs of a locked rollout. */
    public record RolloutFacts(int retries, boolean isFinal, int currentWave) {
    }

    private record Counter(String rolloutId, int wave, String cohort) {
        static final Comparator<Counter> ORDER = Comparator.comparing(Counter::rolloutId)
                .thenComparingInt(Counter::wave).thenComparing(Counter::cohort);
    }

    private record Counts(int succeeded, int failed, int canceled, int expired) {
        Counts plus(ActionState ended) {
            return new Counts(succeeded + (ended == ActionState.SUCCEEDED ? 1 : 0),
                    failed + (ended == ActionState.FAILED ? 1 : 0),
                    // a denied install ended without a failure: the wave counts it as canceled (ActionTracker too)
                    canceled + (ended == ActionState.CANCELED || ended == ActionState.DENIED ? 1 : 0),
                    expired + (ended == ActionState.EXPIRED ? 1 : 0));
        }
    }

    private final List<Change> changes = new ArrayList<>();
    private final Map<Counter, Counts> counts = new TreeMap<>(Counter.ORDER);
    private final Set<String> reassess = new TreeSet<>();
    private final List<ActionReport> perReport = new ArrayList<>();

    private ActionFold() {
    }

    /**
     * @param stored the batch's actions as stored, read under the locks of {@code rollouts}
     * @param rollouts the locked rollouts of those actions, by id
     * @param reports the batch's action reports in offset order
     */
    public static ActionFold of(Map<Long, Stored> stored, Map<String, RolloutFacts> rollouts,
            List<ActionReport> reports) {
        ActionFold fold = new ActionFold();
        Map<Long, List<ActionReport>> byAction = new LinkedHashMap<>();
        reports.forEach(report -> byAction.computeIfAbsent(report.actionId(), id -> new ArrayList<>()).add(report));
        Set<Long> alone = new HashSet<>();
        byAction.forEach((actionId, ofAction) -> {
            Stored action = stored.get(actionId);
            if (action != null && !fold.fold(action, rollouts.get(action.action().rolloutId()), ofAction)) {
                alone.add(actionId);
            }
        });
        reports.stream().filter(report -> alone.contains(report.actionId())).forEach(fold.perReport::add);
        return fold;
    }

    /** @return false if the action needs the per-report rules (nothing recorded for it then) */
    private boolean fold(Stored stored, RolloutFacts rollout, List<ActionReport> reports) {
        DeviceAction action = stored.action();
        ActionState state = action.state();
        for (ActionReport report : reports) {
            if (!report.deviceId().equals(action.deviceId())) {
                continue; // another device's action
            }
            ActionState next = report.next();
            if (answersCancel(state, action.rollback(), report)) {
                return false;
            }
            if (state.isTerminal() || state == ActionState.CANCELING) {
                continue;
            }
            if (rollout == null) {
                return false;
            }
            if (next == ActionState.FAILED && retriable(action, stored.attempt(), rollout)) {
                return false;
            }
            if (next == ActionState.RUNNING && state != ActionState.SCHEDULED) {
                continue;
            }
            state = next;
        }
        if (state == action.state()) {
            return true;
        }
        ActionState ended = state;
        changes.add(new Change(action.actionId(), action.state(), ended));
        if (ended.isTerminal() && !action.rollback()) {
            // rollback actions never count towards a wave's progress or its error ratio
            counts.merge(new Counter(action.rolloutId(), action.wave(), action.cohort()),
                    new Counts(0, 0, 0, 0).plus(ended), (sum, one) -> sum.plus(ended));
            if (action.wave() == rollout.currentWave()) {
                reassess.add(action.rolloutId());
            }
        }
        return true;
    }

    /**
     * The device's answer to a cancel this service sent: for a CANCELING install every report but plain progress
     * (confirmed, rejected, or a result); for a CANCELED one a result (it reached the device after all).
     */
    public static boolean answersCancel(ActionState state, boolean rollback, ActionReport report) {
        if (rollback) {
            return false;
        }
        ActionState next = report.next();
        return switch (state) {
            case CANCELING -> next != ActionState.RUNNING || report.cancelRejected();
            case CANCELED -> next == ActionState.SUCCEEDED || next == ActionState.FAILED;
            default -> false;
        };
    }

    /** As {@code ActionTracker.retried}: a failed install within the rollout's retry budget is sent again. */
    private static boolean retriable(DeviceAction action, int attempt, RolloutFacts rollout) {
        return !action.rollback() && rollout.retries() != 0 && !rollout.isFinal() && attempt <= rollout.retries();
    }

    /** Actions to move, each from the state it was read in. */
    public List<Change> changes() {
        return changes;
    }

    /** Counts to add, one entry per counter row (rollout, wave, cohort), in key order. */
    public List<Finished> counts() {
        return counts.entrySet().stream().map(entry -> new Finished(entry.getKey().rolloutId(),
                entry.getKey().wave(), entry.getKey().cohort(), entry.getValue().succeeded(),
                entry.getValue().failed(), entry.getValue().canceled(), entry.getValue().expired())).toList();
    }

    /** Rollouts whose current wave got a terminal result, in id order. */
    public Set<String> reassess() {
        return reassess;
    }

    /** Reports (offset order) of the actions left to the per-report rules. */
    public List<ActionReport> perReport() {
        return perReport;
    }
}
