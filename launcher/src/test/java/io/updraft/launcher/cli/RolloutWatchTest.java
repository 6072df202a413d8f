package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.updraft.launcher.cli.StubApi.Answer;
import io.updraft.launcher.cli.StubApi.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The real {@code rollout watch} command against a stub rollout-service: retries, exit codes, rollout names. */
class RolloutWatchTest {
    private static final String ID = "0b6c3c52-3d3c-4d7e-9a51-2f1e4f0c9a01";
    private static final String PATH = "/api/v1/rollouts/" + ID;

    @TempDir
    Path root;
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private StubApi stub;

    @AfterEach
    void stop() throws InterruptedException {
        background.shutdownNow();
        background.awaitTermination(10, TimeUnit.SECONDS);
        if (stub != null) {
            stub.close();
        }
    }

    @Test
    void givenTheServiceRefusesThenAnswers503ThenTheRollout_whenWatching_thenItRetriesAndExitsWithTheOutcome() {
        stub = StubApi.notListening().on(PATH, Answer.status(503), Answer.json(view("RUNNING", 1, 0, 0, 0)),
                Answer.json(view("COMPLETED", 2, 0, 0, 0)));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> watch = CompletableFuture.supplyAsync(() -> UpdraftCli.execute(root, stub.env(),
                new PrintWriter(out, true), new PrintWriter(err, true), "rollout", "watch", ID, "--interval", "PT0.05S",
                "--retry-for", "PT1M"), background);
        await().atMost(Duration.ofSeconds(10)).until(() -> err.toString().contains("unreachable"));
        stub.start();
        Run run = new Run(watch.join(), out.toString(), err.toString());

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(WatchVerdict.COMPLETED);
        assertThat(run.err()).containsPattern(
                "rollout-service unreachable \\(Connection refused\\), retrying for up to (\\d+m)?(\\d+s)?")
                .contains("rollout-service answered 503, retrying for up to ");
        assertThat(run.out()).contains("rollout " + ID + " completed: 2 device(s) installed (exit 0)");
        assertThat(stub.requestsTo(PATH)).isEqualTo(3);
    }

    @Test
    void givenTheServiceNeverAnswers_whenTheRetryWindowPasses_thenExit1NamingTheCause() {
        stub = StubApi.notListening();

        Run run = stub.cli(root, "rollout", "watch", ID, "--retry-for", "PT1S");

        assertThat(run.status()).isEqualTo(WatchVerdict.API_ERROR);
        assertThat(run.err()).contains("rollout-service unreachable (Connection refused), retrying for up to 1s")
                .contains("error: rollout-service unreachable (Connection refused) for 1s, giving up");
    }

    @Test
    void givenA4xxAnswer_whenWatching_thenNoRetryAndExit1() {
        stub = StubApi.started().on(PATH, Answer.status(403));

        Run run = stub.cli(root, "rollout", "watch", ID);

        assertThat(run.status()).isEqualTo(WatchVerdict.API_ERROR);
        assertThat(run.err()).contains("answered 403").doesNotContain("retrying");
        assertThat(stub.requestsTo(PATH)).isEqualTo(1);
    }

    @Test
    void givenTooManyRequests_whenWatching_thenItIsRetriedLikeA5xx() {
        stub = StubApi.started().on(PATH, Answer.status(429), Answer.json(view("COMPLETED", 1, 0, 0, 0)));

        Run run = stub.cli(root, "rollout", "watch", ID);

        assertThat(run.status()).isEqualTo(WatchVerdict.COMPLETED);
        assertThat(run.err()).contains("rollout-service answered 429, retrying for up to 5m");
    }

    static Stream<Arguments> outcomes() {
        return Stream.of(
                Arguments.of(view("COMPLETED", 4, 1, 0, 0), WatchVerdict.COMPLETED, "completed: 4 device(s) installed"),
                Arguments.of(view("COMPLETED", 4, 3, 0, 0).replace("\"ACTIVE\"", "\"ROLLED_BACK\""),
                        WatchVerdict.ROLLED_BACK, "ended with 1 cohort(s) rolled back"),
                Arguments.of(view("ABORTED", 1, 0, 3, 0), WatchVerdict.ABORTED, "aborted"),
                Arguments.of(view("PAUSED", 1, 2, 0, 0), WatchVerdict.PAUSED,
                        "paused: resume it (updraft rollout resume) or abort it"),
                Arguments.of(view("WAITING_FOR_APPROVAL", 1, 0, 0, 0), WatchVerdict.AWAITING_APPROVAL,
                        "waits for approval of wave 1: updraft rollout approve " + ID),
                Arguments.of(view("COMPLETED", 0, 5, 0, 0), WatchVerdict.ALL_FAILED,
                        "ended with every device failed: 5 failed, none installed"),
                Arguments.of(view("COMPLETED", 0, 0, 3, 2), WatchVerdict.NOTHING_INSTALLED,
                        "ended with nothing installed (every install superseded, canceled or expired)"));
    }

    @ParameterizedTest
    @MethodSource("outcomes")
    void givenARolloutThatEndedSo_whenWatching_thenTheExitCodeIsItsOutcome(String view, int exit, String said) {
        stub = StubApi.started().on(PATH, Answer.json(view));

        Run run = stub.cli(root, "rollout", "watch", ID);

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(exit);
        assertThat(run.out()).contains(said + " (exit " + exit + ")");
        assertThat(run.out()).doesNotContain("\u001b"); // not a terminal: lines, no escape sequences
    }

    @Test
    void givenARolloutStillRunningAtTheTimeout_whenWatching_thenExit5() {
        stub = StubApi.started().on(PATH, Answer.json(view("RUNNING", 1, 0, 0, 0)));

        Run run = stub.cli(root, "rollout", "watch", ID, "--timeout", "PT0.3S", "--interval", "PT0.05S");

        assertThat(run.status()).isEqualTo(WatchVerdict.TIMED_OUT);
        assertThat(run.out()).contains("still RUNNING after PT0.3S (exit 5)");
    }

    @Test
    void givenAnUnknownOption_whenWatching_thenExit64AndNoRequest() {
        stub = StubApi.started();

        Run run = stub.cli(root, "rollout", "watch", ID, "--no-such-option");

        assertThat(run.status()).isEqualTo(WatchVerdict.USAGE);
        assertThat(run.err()).contains("Unknown option: '--no-such-option'");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void givenARolloutName_whenWatching_thenItIsFoundInTheListAndWatchedById() {
        stub = StubApi.started().on("/api/v1/rollouts", Answer.json("[" + summary(ID, "gw-firmware 1.2.0") + ","
                + summary("0b6c3c52-0000-0000-0000-000000000002", "other") + "]"))
                .on(PATH, Answer.json(view("COMPLETED", 1, 0, 0, 0)));

        Run run = stub.cli(root, "rollout", "watch", "gw-firmware 1.2.0");

        assertThat(run.status()).as(run.err()).isEqualTo(WatchVerdict.COMPLETED);
        assertThat(stub.requestsTo(PATH)).isEqualTo(1);
        // the name is asked of the API, so a rollout past the first page of the list is found too
        assertThat(stub.requests()).extracting(StubApi.Request::uri)
                .contains("/api/v1/rollouts?name=gw-firmware+1.2.0&limit=10");
    }

    @Test
    void givenTwoRolloutsOfOneName_whenWatchingOrShowingIt_thenExit64ListingBothIds() {
        String other = "0b6c3c52-0000-0000-0000-000000000002";
        stub = StubApi.started().on("/api/v1/rollouts", Answer.json("[" + summary(ID, "nightly") + ","
                + summary(other, "nightly") + "]"));

        for (String command : new String[] { "watch", "show", "pause", "history" }) {
            Run run = stub.cli(root, "rollout", command, "nightly");

            assertThat(run.status()).as(command).isEqualTo(WatchVerdict.USAGE);
            assertThat(run.err()).as(command).contains("2 rollouts are named \"nightly\": " + ID + ", " + other);
        }
        assertThat(stub.requests()).allMatch(r -> r.path().equals("/api/v1/rollouts"));
    }

    @Test
    void givenANameNoRolloutHas_whenShowingIt_thenExit1() {
        stub = StubApi.started().on("/api/v1/rollouts", Answer.json("[" + summary(ID, "nightly") + "]"));

        Run run = stub.cli(root, "rollout", "show", "weekly");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("no rollout with the id or name \"weekly\"");
    }

    @Test
    void givenARolloutName_whenControllingIt_thenThePostGoesToItsId() {
        stub = StubApi.started().on("/api/v1/rollouts", Answer.json("[" + summary(ID, "nightly") + "]"))
                .on(PATH + "/pause", Answer.json(view("PAUSED", 0, 0, 0, 0)));

        Run run = stub.cli(root, "rollout", "pause", "nightly", "--reason", "dashboards red");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("rollout " + ID + " is PAUSED");
        assertThat(stub.requests()).extracting(StubApi.Request::method).containsExactly("GET", "POST");
    }

    static String summary(String id, String name) {
        return "{\"id\":\"%s\",\"name\":\"%s\",\"state\":\"RUNNING\",\"waves\":[]}".formatted(id, name);
    }

    /** A one-wave, one-cohort rollout view as GET /api/v1/rollouts/{id} answers it. */
    static String view(String state, int succeeded, int failed, int canceled, int expired) {
        return """
                {"id":"%s","name":"gw-firmware 1.2.0","state":"%s","currentWave":1,
                 "waves":[{"wave":1,"percent":100,"devices":%d,"state":"DONE","succeeded":%d,"failed":%d,
                           "canceled":%d,"expired":%d,"pending":0,"running":0}],
                 "cohorts":[{"cohort":"gw-200:1.0","devices":%d,"state":"ACTIVE"}],
                 "rollbackActions":{"sent":0,"succeeded":0,"failed":0}}
                """.formatted(ID, state, succeeded + failed + canceled + expired, succeeded, failed, canceled, expired,
                succeeded + failed + canceled + expired);
    }
}
