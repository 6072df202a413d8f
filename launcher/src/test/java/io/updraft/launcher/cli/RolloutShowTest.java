package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.launcher.cli.StubApi.Answer;
import io.updraft.launcher.cli.StubApi.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollout show}: a rolled-back cohort's verdict with the rule, the numbers and the window. */
class RolloutShowTest {
    private static final String ID = "0b6c3c52-3d3c-4d7e-9a51-2f1e4f0c9a01";
    private static final String ROLLOUT = """
            {"id":"%s","name":"fw 3.0","state":"COMPLETED","version":"3.0.0","releaseId":"r3","waves":[],
             "cohorts":[{"cohort":"gw-100:1.0","devices":8,"state":"ACTIVE","rollbackReason":null,
                         "rollbackEvidence":null},
                        {"cohort":"gw-300:2.1","devices":155,"state":"ROLLED_BACK",
                         "rollbackReason":"unhealthyDevices: 109 of 155 devices on the release reported unhealthy",
                         "rollbackEvidence":{"succeeded":155,"failed":0,"failureRate":0.0,"threshold":0.5,
                           "minSampleSize":3,"windowStart":"2026-12-05T10:00:00Z","windowEnd":"2026-12-05T10:05:00Z",
                           "rule":"unhealthyDevices","devicesCounted":109,"devicesJudged":155,"observed":0.7032,
                           "limit":0.3}}],
             "rollbackActions":{"sent":0,"succeeded":0,"failed":0}}""".formatted(ID);

    @TempDir
    Path root;
    private final StubApi stub = StubApi.started().on("/api/v1/rollouts/" + ID, request -> Answer.json(ROLLOUT));

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void givenACohortRolledBackByTelemetry_whenShown_thenItsRuleNumbersAndWindowArePrinted() {
        Run run = stub.cli(root, "rollout", "show", ID);

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("cohort gw-300:2.1").contains("ROLLED_BACK (unhealthyDevices: 109 of 155")
                .contains("rule unhealthyDevices: 109 of 155 counted, 0.70 >= 0.30, window 2026-12-05T10:00:00Z .."
                        + " 2026-12-05T10:05:00Z");
        assertThat(run.out().lines().filter(line -> line.contains("rule "))).hasSize(1); // none for the active one
    }
}
