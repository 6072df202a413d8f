package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import org.junit.jupiter.api.Test;

/** One test per row of {@code rollout watch}'s exit-code table that a rollout view decides (README, "Exit codes"). */
class WatchVerdictTest {

    @Test
    void givenACompletedRolloutWithInstallsAndNoCohortRolledBack_whenJudged_thenExit0() {
        assertThat(judge(view("COMPLETED").cohort("ACTIVE").wave(8, 0, 0, 0).wave(10, 1, 0, 0))).hasValue(0);
    }

    @Test
    void givenACompletedRolloutWithARolledBackCohort_whenItsRollbacksHaveFinished_thenExit2() {
        View rolledBack = view("COMPLETED").cohort("ROLLED_BACK").wave(5, 3, 0, 0);

        assertThat(judge(rolledBack.rollbacks(3, 2, 0))).isEmpty();
        assertThat(judge(rolledBack.rollbacks(3, 2, 1))).hasValue(2);
    }

    @Test
    void givenARolledBackCohortWhereEveryDeviceFailed_whenJudged_thenRolledBackWinsOverAllFailed() {
        assertThat(judge(view("COMPLETED").cohort("ROLLED_BACK").wave(0, 4, 0, 0).rollbacks(4, 4, 0))).hasValue(2);
    }

    @Test
    void givenAnAbortedRollout_whenJudged_thenExit3WhateverElseHappened() {
        assertThat(judge(view("ABORTED").cohort("ACTIVE").wave(3, 0, 5, 0))).hasValue(3);
        assertThat(judge(view("ABORTED").cohort("ROLLED_BACK").wave(0, 4, 0, 0).rollbacks(4, 4, 0))).hasValue(3);
    }

    @Test
    void givenAnAbortedRolloutWhoseRollbacksStillRun_whenJudged_thenKeepWatching() {
        assertThat(judge(view("ABORTED").cohort("ROLLED_BACK").wave(0, 4, 0, 0).rollbacks(4, 1, 0))).isEmpty();
    }

    @Test
    void givenAPausedRollout_whenJudged_thenExit4UnlessAskedToWait() {
        View paused = view("PAUSED").cohort("ACTIVE").wave(2, 2, 0, 0);

        assertThat(judge(paused)).hasValue(4);
        assertThat(WatchVerdict.of(paused.json(), true, false)).isEmpty();
    }

    @Test
    void givenARolloutWaitingForApproval_whenJudged_thenExit6UnlessAskedToWait() {
        View waiting = view("WAITING_FOR_APPROVAL").cohort("ACTIVE").wave(2, 0, 0, 0);

        assertThat(judge(waiting)).hasValue(6);
        assertThat(WatchVerdict.of(waiting.json(), false, true)).isEmpty();
    }

    @Test
    void givenACompletedRolloutWhereNoDeviceInstalledAndSomeFailed_whenJudged_thenExit7() {
        assertThat(judge(view("COMPLETED").cohort("ACTIVE").wave(0, 2, 0, 0).wave(0, 1, 4, 1))).hasValue(7);
    }

    @Test
    void givenACompletedRolloutWhereEveryInstallWasCanceledOrExpired_whenJudged_thenExit8() {
        assertThat(judge(view("COMPLETED").cohort("ACTIVE").wave(0, 0, 3, 2).wave(0, 0, 0, 5))).hasValue(8);
    }

    @Test
    void givenACompletedRolloutWithOneSuccessAmongFailuresBelowThePolicy_whenJudged_thenExit0() {
        assertThat(judge(view("COMPLETED").cohort("ACTIVE").wave(1, 3, 0, 0))).hasValue(0);
    }

    @Test
    void givenARunningRolloutOrAStateFromANewerServer_whenJudged_thenKeepWatching() {
        assertThat(judge(view("RUNNING").cohort("ROLLED_BACK").wave(0, 1, 0, 0).rollbacks(1, 1, 0))).isEmpty();
        assertThat(judge(view("SCHEDULED").cohort("ACTIVE"))).isEmpty();
        assertThat(judge(view("SOMETHING_NEW").cohort("ACTIVE"))).isEmpty();
    }

    @Test
    void theCodesOfTheTableAreDistinct() {
        assertThat(new int[] { WatchVerdict.COMPLETED, WatchVerdict.API_ERROR, WatchVerdict.ROLLED_BACK,
                WatchVerdict.ABORTED, WatchVerdict.PAUSED, WatchVerdict.TIMED_OUT, WatchVerdict.AWAITING_APPROVAL,
                WatchVerdict.ALL_FAILED, WatchVerdict.NOTHING_INSTALLED, WatchVerdict.USAGE })
                .doesNotHaveDuplicates().containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 64);
    }

    private static java.util.OptionalInt judge(View view) {
        return WatchVerdict.of(view.json(), false, false);
    }

    private static View view(String state) {
        return new View(state, "", "", "0,0,0");
    }

    /** A rollout view as GET /api/v1/rollouts/{id} answers it, reduced to what the verdict reads. */
    private record View(String state, String cohorts, String waves, String rollbacks) {
        View cohort(String cohortState) {
            String cohort = "{\"cohort\":\"gw-" + cohorts.length() + ":1.0\",\"devices\":4,\"state\":\"" + cohortState
                    + "\"}";
            return new View(state, cohorts.isEmpty() ? cohort : cohorts + "," + cohort, waves, rollbacks);
        }

        View wave(int succeeded, int failed, int canceled, int expired) {
            String wave = "{\"wave\":1,\"state\":\"DONE\",\"succeeded\":%d,\"failed\":%d,\"canceled\":%d,\"expired\":%d,"
                    .formatted(succeeded, failed, canceled, expired) + "\"pending\":0,\"running\":0}";
            return new View(state, cohorts, waves.isEmpty() ? wave : waves + "," + wave, rollbacks);
        }

        View rollbacks(int sent, int succeeded, int failed) {
            return new View(state, cohorts, waves, sent + "," + succeeded + "," + failed);
        }

        JsonNode json() {
            String[] r = rollbacks.split(",");
            return UpdraftApi.parse("""
                    {"id":"r1","state":"%s","cohorts":[%s],"waves":[%s],
                     "rollbackActions":{"sent":%s,"succeeded":%s,"failed":%s}}
                    """.formatted(state, cohorts, waves, r[0], r[1], r[2]));
        }
    }
}
