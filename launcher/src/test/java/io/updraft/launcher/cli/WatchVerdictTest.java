package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import org.junit.jupiter.api.Test;

class WatchVerdictTest {

    @Test
    void givenACompletedRolloutWithEveryCohortActive_whenJudged_thenExit0() {
        assertThat(WatchVerdict.of(rollout("COMPLETED", "ACTIVE", 0, 0), false, false)).hasValue(0);
    }

    @Test
    void givenACompletedRolloutWithARolledBackCohort_whenItsRollbacksHaveFinished_thenExit2() {
        assertThat(WatchVerdict.of(rollout("COMPLETED", "ROLLED_BACK", 3, 2), false, false)).isEmpty();
        assertThat(WatchVerdict.of(rollout("COMPLETED", "ROLLED_BACK", 3, 3), false, false)).hasValue(2);
    }

    @Test
    void givenAnAbortedRollout_whenJudged_thenExit3() {
        assertThat(WatchVerdict.of(rollout("ABORTED", "ACTIVE", 0, 0), false, false)).hasValue(3);
    }

    @Test
    void givenAPausedRollout_whenJudged_thenExit4UnlessAskedToWait() {
        assertThat(WatchVerdict.of(rollout("PAUSED", "ACTIVE", 0, 0), false, false)).hasValue(4);
        assertThat(WatchVerdict.of(rollout("PAUSED", "ACTIVE", 0, 0), true, false)).isEmpty();
    }

    @Test
    void givenARolloutWaitingForApproval_whenJudged_thenExit6UnlessAskedToWait() {
        assertThat(WatchVerdict.of(rollout("WAITING_FOR_APPROVAL", "ACTIVE", 0, 0), false, false)).hasValue(6);
        assertThat(WatchVerdict.of(rollout("WAITING_FOR_APPROVAL", "ACTIVE", 0, 0), false, true)).isEmpty();
    }

    @Test
    void givenARunningRolloutOrAStateFromANewerServer_whenJudged_thenKeepWatching() {
        assertThat(WatchVerdict.of(rollout("RUNNING", "ROLLED_BACK", 1, 1), false, false)).isEmpty();
        assertThat(WatchVerdict.of(rollout("SCHEDULED", "ACTIVE", 0, 0), false, false)).isEmpty();
    }

    private static JsonNode rollout(String state, String cohortState, int rollbacksSent, int rollbacksFinished) {
        return UpdraftApi.parse("""
                {"id":"r1","state":"%s","cohorts":[{"cohort":"gw-100:1.0","state":"ACTIVE"},
                 {"cohort":"gw-200:1.0","state":"%s"}],
                 "rollbackActions":{"sent":%d,"succeeded":%d,"failed":0}}
                """.formatted(state, cohortState, rollbacksSent, rollbacksFinished));
    }
}
