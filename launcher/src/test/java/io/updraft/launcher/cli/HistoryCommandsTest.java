package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import io.updraft.launcher.cli.StubApi.Answer;
import io.updraft.launcher.cli.StubApi.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollout history} and {@code devices history} against a stub of the history endpoints' contract. */
class HistoryCommandsTest {
    private static final String ID = "0b6c3c52-3d3c-4d7e-9a51-2f1e4f0c9a01";
    private static final String PAGE_1 = """
            {"entries":[
              {"at":"2026-12-05T10:00:00Z","type":"CREATED","actor":"ci-bot","reason":null,"wave":null,"cohort":null,
               "deviceId":null,"actionId":null,"details":"3 waves, 120 devices"},
              {"at":"2026-12-05T10:20:00Z","type":"PAUSED","actor":"alice","reason":"dashboards red","wave":2,
               "cohort":null,"deviceId":null,"actionId":null,"details":"error rate 0.08 > 0.05"}],
             "nextCursor":"c2"}""";
    private static final String PAGE_2 = """
            {"entries":[
              {"at":"2026-12-05T10:40:00Z","type":"COHORT_ROLLED_BACK","actor":"rollout-service","reason":null,
               "wave":2,"cohort":"gw-200:1.0","deviceId":null,"actionId":null,"details":"failure rate 0.4"}],
             "nextCursor":null}""";

    @TempDir
    Path root;
    private final StubApi stub = StubApi.started().on("/api/v1/rollouts/" + ID + "/history",
            request -> Answer.json(request.uri().contains("cursor=c2") ? PAGE_2 : PAGE_1));

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void givenARolloutHistory_whenShown_thenATableOfTimeTypeActorWaveCohortAndReason() {
        Run run = stub.cli(root, "rollout", "history", ID);

        assertThat(run.status()).as(run.err()).isZero();
        String[] lines = run.out().split("\\R");
        assertThat(lines[0]).matches("TIME +TYPE +ACTOR +WAVE/COHORT +REASON/DETAILS");
        assertThat(lines[1]).matches("2026-12-05T10:00:00Z +CREATED +ci-bot +- +3 waves, 120 devices");
        assertThat(lines[2]).matches(
                "2026-12-05T10:20:00Z +PAUSED +alice +2 +dashboards red — error rate 0.08 > 0.05");
        assertThat(lines[3]).isEqualTo("more: --cursor c2 (or --all for every page)");
        assertThat(stub.requests()).extracting(StubApi.Request::uri)
                .containsExactly("/api/v1/rollouts/" + ID + "/history");
    }

    @Test
    void givenTwoPages_whenAllIsAsked_thenTheCursorIsFollowedAndEveryEntryPrintedOnce() {
        Run run = stub.cli(root, "rollout", "history", ID, "--all", "--limit", "2");

        assertThat(run.out()).contains("CREATED", "PAUSED").doesNotContain("more:");
        assertThat(run.out().lines().filter(l -> l.contains("COHORT_ROLLED_BACK")))
                .containsExactly(run.out().lines().filter(l -> l.contains("2/gw-200:1.0")).toArray(String[]::new));
        assertThat(stub.requests()).extracting(StubApi.Request::uri).containsExactly(
                "/api/v1/rollouts/" + ID + "/history?limit=2",
                "/api/v1/rollouts/" + ID + "/history?cursor=c2&limit=2");
    }

    @Test
    void givenOutputJson_whenShown_thenTheDocumentAsTheApiAnsweredIt() {
        Run run = stub.cli(root, "--output", "json", "rollout", "history", ID, "--cursor", "c2");

        JsonNode printed = UpdraftApi.parse(run.out());
        assertThat(printed).isEqualTo(UpdraftApi.parse(PAGE_2));
    }

    @Test
    void givenOutputJsonAndAll_whenShown_thenOneArrayOfEveryEntry() {
        Run run = stub.cli(root, "rollout", "history", ID, "--all", "--output", "json");

        JsonNode printed = UpdraftApi.parse(run.out());
        assertThat(printed.isArray()).isTrue();
        assertThat(printed).extracting(e -> e.path("type").asText())
                .containsExactly("CREATED", "PAUSED", "COHORT_ROLLED_BACK");
    }

    @Test
    void givenADeviceHistory_whenShown_thenTheDeviceEndpointIsCalledAndItsEntriesListed() {
        stub.on("/api/v1/devices/gw-200-0007/history", Answer.json("""
                {"entries":[{"at":"2026-12-05T11:00:00Z","type":"INSTALL_SENT","actor":"rollout-service",
                 "reason":null,"wave":1,"cohort":"gw-200:1.0","deviceId":"gw-200-0007","actionId":"a-17",
                 "details":"gw-firmware 1.2.0"}],"nextCursor":null}"""));

        Run run = stub.cli(root, "devices", "history", "gw-200-0007");
        Run ids = stub.cli(root, "devices", "history", "gw-200-0007", "--output", "id");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out().split("\\R")[1])
                .matches("2026-12-05T11:00:00Z +INSTALL_SENT +rollout-service +1/gw-200:1.0 +gw-firmware 1.2.0");
        assertThat(ids.out()).isEqualTo("a-17" + System.lineSeparator());
    }

    @Test
    void givenARolloutName_whenShowingItsHistory_thenTheNameIsResolvedFirst() {
        stub.on("/api/v1/rollouts", Answer.json("[{\"id\":\"" + ID + "\",\"name\":\"nightly\"}]"));

        Run run = stub.cli(root, "rollout", "history", "nightly");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("PAUSED");
    }
}
