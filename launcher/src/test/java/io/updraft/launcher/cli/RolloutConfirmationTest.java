package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import io.updraft.launcher.cli.StubApi.Answer;
import io.updraft.launcher.cli.StubApi.Run;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device consent (issue 23) on the command line: {@code rollout create --confirmation-required
 * [--confirmation-deadline D]} sends the service's {@code confirmationRequired} / {@code confirmationDeadline}; a
 * deadline without the flag, or one that is no positive ISO-8601 duration, is refused before any call; {@code rollout
 * show} says the rollout asks first, with its deadline, and counts each wave's denials.
 */
class RolloutConfirmationTest {
    private static final String RELEASE_ID = "5a0e2a43-4a55-4c0e-8f44-8c7a8d5a1b22";
    private static final String ID = "0b6c3c52-3d3c-4d7e-9a51-2f1e4f0c9a01";
    private static final String WAVES = """
            [{"wave":1,"percent":50,"devices":4,"state":"DONE","succeeded":2,"failed":0,"running":0,"pending":0,
              "canceled":0,"expired":1,"denied":1,"approval":false},
             {"wave":2,"percent":100,"devices":4,"state":"RUNNING","succeeded":1,"failed":1,"running":2,"pending":0,
              "canceled":0,"expired":0,"denied":0,"approval":false}]""";
    private static final String CONSENT = """
            {"id":"%s","name":"fw 4.0","state":"RUNNING","version":"4.0.0","releaseId":"r4","waves":%s,"cohorts":[],
             "rollbackActions":{"sent":0,"succeeded":0,"failed":0},"confirmationRequired":true,
             "confirmationDeadline":"PT72H"}""".formatted(ID, WAVES);

    @TempDir
    Path root;
    private final StubApi stub = StubApi.started()
            .on("/api/v1/rollouts", request -> new Answer(201, CONSENT, Map.of()))
            .on("/api/v1/rollouts/" + ID, request -> Answer.json(CONSENT));

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void givenConfirmationRequiredAndADeadline_whenCreating_thenTheBodyCarriesBothUnderTheServiceFieldNames() {
        Run run = stub.cli(root, "rollout", "create", "--release", RELEASE_ID, "--confirmation-required",
                "--confirmation-deadline", "PT72H");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode sent = UpdraftApi.parse(stub.requests().get(0).body());
        assertThat(sent.path("confirmationRequired").isBoolean()).isTrue();
        assertThat(sent.path("confirmationRequired").asBoolean()).isTrue();
        assertThat(sent.path("confirmationDeadline").asText()).isEqualTo("PT72H");
        assertThat(run.out()).contains("confirmation required (deadline PT72H)");
    }

    @Test
    void givenTheFlagAlone_whenCreating_thenConfirmationIsRequiredWithNoDeadlineSent() {
        Run run = stub.cli(root, "rollout", "create", "--release", RELEASE_ID, "--confirmation-required");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode sent = UpdraftApi.parse(stub.requests().get(0).body());
        assertThat(sent.path("confirmationRequired").asBoolean()).isTrue();
        assertThat(sent.has("confirmationDeadline")).isFalse();
    }

    @Test
    void givenNeither_whenCreating_thenNeitherFieldIsSent() {
        Run run = stub.cli(root, "rollout", "create", "--release", RELEASE_ID);

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode sent = UpdraftApi.parse(stub.requests().get(0).body());
        assertThat(sent.has("confirmationRequired")).isFalse(); // the service's default (false)
        assertThat(sent.has("confirmationDeadline")).isFalse();
    }

    @Test
    void givenADeadlineWithoutTheFlag_whenCreatingOrPreviewing_thenAUsageErrorBeforeAnyCall() {
        for (String command : new String[] { "create", "preview" }) {
            // NAME@VERSION would be looked up first: the refusal comes before that call too
            Run run = stub.cli(root, "rollout", command, "--release", "gw-firmware@4.0.0", "--confirmation-deadline",
                    "PT72H");

            assertThat(run.status()).as(command).isEqualTo(WatchVerdict.USAGE);
            assertThat(run.err()).as(command).contains("--confirmation-deadline PT72H needs --confirmation-required");
        }
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void givenADeadlineThatIsNoPositiveDuration_whenCreating_thenAUsageErrorBeforeAnyCall() {
        for (String bad : new String[] { "72h", "PT0S", "-PT1H", "P" }) {
            Run run = stub.cli(root, "rollout", "create", "--release", RELEASE_ID, "--confirmation-required",
                    "--confirmation-deadline", bad);

            assertThat(run.status()).as(bad).isEqualTo(WatchVerdict.USAGE);
            assertThat(run.err()).as(bad).contains("not a positive ISO-8601 duration");
        }
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void givenARolloutRequiringConfirmation_whenShown_thenItsDeadlineAndEachWavesDenialsArePrinted() {
        Run run = stub.cli(root, "rollout", "status", ID);

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("confirmation required (deadline PT72H)")
                // a denial is finished (like a cancel), never failed
                .contains("wave 1/2  50%  [####################]  4/4 finished  ok 2  failed 0  denied 1  running 0"
                        + "  DONE")
                .contains("wave 2/2 100%  [##########----------]  2/4 finished  ok 1  failed 1  denied 0  running 2"
                        + "  RUNNING");
    }

    @Test
    void givenARolloutRequiringConfirmation_whenWatched_thenEachWaveBarCountsItsDenialsToo() {
        assertThat(ProgressBoard.board(UpdraftApi.parse(CONSENT)))
                .anyMatch(line -> line.endsWith("4/4 finished  ok 2  failed 0  denied 1  running 0  DONE"))
                .anyMatch(line -> line.endsWith("2/4 finished  ok 1  failed 1  denied 0  running 2  RUNNING"));
    }

    @Test
    void givenACompletedRolloutEveryDeviceDenied_whenWatched_thenNothingInstalledNotAllFailed() {
        String ended = """
                {"state":"COMPLETED","confirmationRequired":true,"rollbackActions":{"sent":0,"succeeded":0,"failed":0},
                 "cohorts":[],"waves":[{"wave":1,"succeeded":%d,"failed":0,"denied":3,"expired":0,"canceled":0}]}""";

        assertThat(WatchVerdict.of(UpdraftApi.parse(ended.formatted(0)), false, false))
                .hasValue(WatchVerdict.NOTHING_INSTALLED);
        assertThat(WatchVerdict.of(UpdraftApi.parse(ended.formatted(1)), false, false))
                .hasValue(WatchVerdict.COMPLETED);
    }

    @Test
    void givenARolloutThatDoesNotAsk_whenShown_thenNoConfirmationLineAndNoDeniedColumn() {
        String plain = CONSENT.replace("\"confirmationRequired\":true", "\"confirmationRequired\":false")
                .replace("\"confirmationDeadline\":\"PT72H\"", "\"confirmationDeadline\":null")
                .replace("\"denied\":1", "\"denied\":0");
        stub.on("/api/v1/rollouts/" + ID, request -> Answer.json(plain));

        Run run = stub.cli(root, "rollout", "show", ID);

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("confirmation").doesNotContain("denied")
                .contains("3/4 finished  ok 2  failed 0  running 0  DONE");
    }

    @Test
    void givenConfirmationWithoutADeadline_whenShown_thenItSaysSo() {
        stub.on("/api/v1/rollouts/" + ID, request -> Answer.json(CONSENT.replace("\"PT72H\"", "null")));

        Run run = stub.cli(root, "rollout", "show", ID);

        assertThat(run.out()).contains("confirmation required (no deadline)");
    }
}
