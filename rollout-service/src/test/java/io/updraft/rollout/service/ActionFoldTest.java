package io.updraft.rollout.service;

import static io.updraft.rollout.domain.ActionState.CANCELED;
import static io.updraft.rollout.domain.ActionState.CANCELING;
import static io.updraft.rollout.domain.ActionState.EXPIRED;
import static io.updraft.rollout.domain.ActionState.FAILED;
import static io.updraft.rollout.domain.ActionState.RETRIED;
import static io.updraft.rollout.domain.ActionState.RUNNING;
import static io.updraft.rollout.domain.ActionState.SCHEDULED;
import static io.updraft.rollout.domain.ActionState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.rollout.domain.ActionState;
import io.updraft.rollout.domain.DeviceAction;
import io.updraft.rollout.persistence.ActionReports.Change;
import io.updraft.rollout.persistence.ActionReports.Stored;
import io.updraft.rollout.persistence.WaveRepository.Finished;
import io.updraft.rollout.service.ActionFold.RolloutFacts;
import io.updraft.rollout.service.ReportBatch.ActionReport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory fold of a batch's action reports follows ActionTracker.report's rules report by report. */
class ActionFoldTest {
    private final Map<Long, Stored> stored = new HashMap<>();
    private final Map<String, RolloutFacts> rollouts = new HashMap<>(Map.of(
            "r1", new RolloutFacts(0, false, 1),
            "r2", new RolloutFacts(1, false, 2)));

    @Test
    void givenProgressThenSuccessInOneBatch_thenTheActionMovesOnceAndIsCountedOnce() {
        action(1, "r1", "d1", 1, "c", false, SCHEDULED, 1);

        ActionFold fold = fold(report("d1", 1, RUNNING), report("d1", 1, RUNNING), report("d1", 1, SUCCEEDED));

        assertThat(fold.changes()).containsExactly(new Change(1, SCHEDULED, SUCCEEDED));
        assertThat(fold.counts()).containsExactly(new Finished("r1", 1, "c", 1, 0, 0, 0));
        assertThat(fold.reassess()).containsExactly("r1");
        assertThat(fold.perReport()).isEmpty();
    }

    @Test
    void givenADenial_thenTheActionEndsDeniedAndTheWaveCountsItAsCanceledNotFailed() {
        action(1, "r1", "d1", 1, "c", false, SCHEDULED, 1);

        ActionFold fold = fold(report("d1", 1, ActionState.DENIED), report("d1", 1, SUCCEEDED));

        assertThat(fold.changes()).containsExactly(new Change(1, SCHEDULED, ActionState.DENIED));
        assertThat(fold.counts()).containsExactly(new Finished("r1", 1, "c", 0, 0, 1, 0));
        assertThat(fold.reassess()).containsExactly("r1");
    }

    @Test
    void givenProgressOnly_thenScheduledBecomesRunningAndRunningStaysWithoutCounting() {
        action(1, "r1", "d1", 1, "c", false, SCHEDULED, 1);
        action(2, "r1", "d2", 1, "c", false, RUNNING, 1);

        ActionFold fold = fold(report("d1", 1, RUNNING), report("d2", 2, RUNNING));

        assertThat(fold.changes()).containsExactly(new Change(1, SCHEDULED, RUNNING));
        assertThat(fold.counts()).isEmpty();
        assertThat(fold.reassess()).isEmpty();
    }

    @Test
    void givenUnknownActionsAnotherDevicesActionAndTerminalActions_thenNothingChanges() {
        action(1, "r1", "d1", 1, "c", false, SCHEDULED, 1);
        action(2, "r1", "d2", 1, "c", false, FAILED, 1);
        action(3, "r1", "d3", 1, "c", false, RETRIED, 1);

        ActionFold fold = fold(report("d1", 99, SUCCEEDED), report("d2", 1, SUCCEEDED), report("d2", 2, SUCCEEDED),
                report("d3", 3, FAILED), report("d3", 3, CANCELED));

        assertThat(fold.changes()).isEmpty();
        assertThat(fold.counts()).isEmpty();
        assertThat(fold.perReport()).isEmpty();
    }

    @Test
    void givenATerminalReport_thenLaterReportsOfTheActionAreIgnored() {
        action(1, "r1", "d1", 1, "c", false, RUNNING, 1);

        ActionFold fold = fold(report("d1", 1, FAILED), report("d1", 1, SUCCEEDED), report("d1", 1, RUNNING));

        assertThat(fold.changes()).containsExactly(new Change(1, RUNNING, FAILED));
        assertThat(fold.counts()).containsExactly(new Finished("r1", 1, "c", 0, 1, 0, 0));
    }

    @Test
    void givenAFailureWithinTheRetryBudget_thenAllTheActionsReportsGoThePerReportWayInOrder() {
        action(1, "r2", "d1", 2, "c", false, SCHEDULED, 1);
        action(2, "r2", "d2", 2, "c", false, SCHEDULED, 2); // its second attempt: outside a budget of 1
        action(3, "r2", "d3", 2, "c", true, RUNNING, 1); // rollback actions are never retried

        ActionFold fold = fold(report("d1", 1, RUNNING), report("d2", 2, FAILED), report("d1", 1, FAILED),
                report("d3", 3, FAILED), report("d1", 1, SUCCEEDED));

        assertThat(fold.perReport()).containsExactly(report("d1", 1, RUNNING), report("d1", 1, FAILED),
                report("d1", 1, SUCCEEDED));
        assertThat(fold.changes()).containsExactly(new Change(2, SCHEDULED, FAILED), new Change(3, RUNNING, FAILED));
        assertThat(fold.counts()).containsExactly(new Finished("r2", 2, "c", 0, 1, 0, 0));
        assertThat(fold.reassess()).containsExactly("r2");
    }

    @Test
    void givenAFinishedRollout_thenAFailureIsNotRetriedButCounted() {
        rollouts.put("r3", new RolloutFacts(3, true, 1));
        action(1, "r3", "d1", 1, "c", false, RUNNING, 1);

        ActionFold fold = fold(report("d1", 1, FAILED));

        assertThat(fold.perReport()).isEmpty();
        assertThat(fold.changes()).containsExactly(new Change(1, RUNNING, FAILED));
    }

    @Test
    void givenAResultAfterACancel_thenTheInstallGoesThePerReportWayButARollbackActionIsIgnored() {
        action(1, "r1", "d1", 1, "c", false, CANCELED, 1);
        action(2, "r1", "d2", 1, "c", true, CANCELED, 1);
        action(3, "r1", "d3", 1, "c", false, CANCELED, 1);
        action(4, "r1", "d4", 1, "c", false, CANCELED, 1);

        ActionFold fold = fold(report("d1", 1, SUCCEEDED), report("d2", 2, SUCCEEDED), report("d3", 3, FAILED),
                report("d4", 4, RUNNING));

        assertThat(fold.perReport()).containsExactly(report("d1", 1, SUCCEEDED), report("d3", 3, FAILED));
        assertThat(fold.changes()).isEmpty();
    }

    @Test
    void givenACancelingInstall_thenEveryAnswerGoesThePerReportWayAndPlainProgressChangesNothing() {
        action(1, "r1", "d1", 1, "c", false, CANCELING, 1);
        action(2, "r1", "d2", 1, "c", false, CANCELING, 1);
        action(3, "r1", "d3", 1, "c", false, CANCELING, 1);
        action(4, "r1", "d4", 1, "c", false, CANCELING, 1);
        action(5, "r1", "d5", 1, "c", false, CANCELING, 1);

        ActionReport rejected = new ActionReport("d2", 2, RUNNING, true);
        ActionFold fold = fold(report("d1", 1, RUNNING), rejected, report("d3", 3, CANCELED),
                report("d4", 4, FAILED), report("d5", 5, RUNNING), report("d5", 5, SUCCEEDED));

        assertThat(fold.perReport()).containsExactly(rejected, report("d3", 3, CANCELED), report("d4", 4, FAILED),
                report("d5", 5, RUNNING), report("d5", 5, SUCCEEDED));
        assertThat(fold.changes()).isEmpty();
        assertThat(fold.counts()).isEmpty();
    }

    @Test
    void givenARollbackActionsResult_thenItMovesButIsNeitherCountedNorReassessed() {
        action(1, "r1", "d1", 1, "c", true, SCHEDULED, 1);

        ActionFold fold = fold(report("d1", 1, SUCCEEDED));

        assertThat(fold.changes()).containsExactly(new Change(1, SCHEDULED, SUCCEEDED));
        assertThat(fold.counts()).isEmpty();
        assertThat(fold.reassess()).isEmpty();
    }

    @Test
    void givenResultsOfSeveralWavesAndCohorts_thenCountsAreAddedPerCounterAndOnlyTheCurrentWaveIsReassessed() {
        action(1, "r1", "d1", 1, "a", false, SCHEDULED, 1);
        action(2, "r1", "d2", 1, "a", false, RUNNING, 1);
        action(3, "r1", "d3", 1, "b", false, RUNNING, 1);
        action(4, "r2", "d4", 1, "a", false, RUNNING, 1); // r2 is at wave 2: a late result of its wave 1
        action(5, "r1", "d5", 1, "a", false, RUNNING, 1);

        ActionFold fold = fold(report("d1", 1, EXPIRED), report("d2", 2, SUCCEEDED), report("d3", 3, CANCELED),
                report("d4", 4, SUCCEEDED), report("d5", 5, SUCCEEDED));

        assertThat(fold.counts()).containsExactly(
                new Finished("r1", 1, "a", 2, 0, 0, 1),
                new Finished("r1", 1, "b", 0, 0, 1, 0),
                new Finished("r2", 1, "a", 1, 0, 0, 0));
        assertThat(fold.reassess()).containsExactly("r1");
    }

    @Test
    void givenAnOpenActionWhoseRolloutIsNotLocked_thenItGoesThePerReportWay() {
        action(1, "r9", "d1", 1, "c", false, RUNNING, 1);
        action(2, "r9", "d2", 1, "c", false, SUCCEEDED, 1);

        ActionFold fold = fold(report("d1", 1, SUCCEEDED), report("d2", 2, FAILED));

        assertThat(fold.perReport()).containsExactly(report("d1", 1, SUCCEEDED));
        assertThat(fold.changes()).isEmpty();
    }

    private void action(long id, String rollout, String device, int wave, String cohort, boolean rollback,
            ActionState state, int attempt) {
        stored.put(id, new Stored(new DeviceAction(id, rollout, device, wave, cohort, "rel", "1.0.0", rollback, state),
                attempt));
    }

    private static ActionReport report(String device, long action, ActionState next) {
        return new ActionReport(device, action, next);
    }

    private ActionFold fold(ActionReport... reports) {
        return ActionFold.of(stored, rollouts, List.of(reports));
    }
}
