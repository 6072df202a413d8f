package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.rollout.domain.HistoryEntry;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who did what to a rollout and why, and what happened to one device, as the history endpoints list it. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class HistoryIT extends WatchedTopicsTest {

    @Test
    void given_pause_resume_approve_abort_when_the_history_is_read_then_each_is_listed_with_actor_and_reason() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "6.0.0", model));
        List<String> devices = List.of(model + "-a", model + "-b");
        devices.forEach(device -> TestKafka.send(Fleet.registered(device, model, "1")));
        Api.awaitRelease(releaseId);
        devices.forEach(device -> Api.awaitDevice(device, null));
        String rolloutId = Api.createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model),
                "waves", List.of(50, 100), "canaryPerCohort", 0, "soakTime", "PT0S", "approval", "BEFORE_LATER_WAVES"))
                .then().statusCode(201).extract().path("id");

        Api.asOperator().body(Map.of("reason", "dashboards look odd")).post("/api/v1/rollouts/" + rolloutId + "/pause")
                .then().statusCode(200);
        Api.asOperator().body(Map.of("reason", "false alarm")).post("/api/v1/rollouts/" + rolloutId + "/resume")
                .then().statusCode(200);
        awaitInstalls(rolloutId, 1, 1).forEach(c -> TestKafka.send(Fleet.finished(c, DeviceReport.Outcome.SUCCESS)));
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).until(() ->
                "WAITING_FOR_APPROVAL".equals(Api.rollout(rolloutId).then().extract().path("state")));
        Api.asOperator().body(Map.of()).post("/api/v1/rollouts/" + rolloutId + "/approve").then().statusCode(200);
        Api.asOperator().body(Map.of("reason", "pulled: bad image"))
                .post("/api/v1/rollouts/" + rolloutId + "/abort").then().statusCode(200);

        JsonPath history = Api.asViewer().get("/api/v1/rollouts/" + rolloutId + "/history").then().statusCode(200)
                .extract().jsonPath();
        List<String> types = history.getList("entries.type");
        assertThat(types).containsSubsequence("CREATED", "WAVE_STARTED", "PAUSED", "RESUMED", "AWAITING_APPROVAL",
                "APPROVED", "WAVE_STARTED", "ABORTED");
        assertThat(entry(history, "CREATED").getString("actor")).isEqualTo("test-operator");
        assertThat(entry(history, "PAUSED").getString("actor")).isEqualTo("test-operator");
        assertThat(entry(history, "PAUSED").getString("reason")).isEqualTo("dashboards look odd");
        assertThat(entry(history, "RESUMED").getString("reason")).isEqualTo("false alarm");
        assertThat(entry(history, "APPROVED").getString("actor")).isEqualTo("test-operator");
        assertThat(entry(history, "APPROVED").getInt("wave")).isEqualTo(2);
        assertThat(entry(history, "ABORTED").getString("actor")).isEqualTo("test-operator");
        assertThat(entry(history, "ABORTED").getString("reason")).isEqualTo("pulled: bad image");
        assertThat(entry(history, "AWAITING_APPROVAL").getString("actor")).isEqualTo("system");
        assertThat(history.getList("entries.at", String.class)).isSorted();
        assertThat(history.getString("nextCursor")).isNull();
    }

    @Test
    void given_a_device_that_installed_and_was_rolled_back_when_its_history_is_read_then_it_tells_it_in_order() {
        String model = Fleet.uniqueModel();
        String rolloutId = Api.rolloutOfOneDevice(model);
        String device = model + "-a";
        InstallRequested install = awaitInstalls(rolloutId, 1, 1).get(0);
        TestKafka.send(Fleet.finished(install, DeviceReport.Outcome.SUCCESS));
        TestKafka.send(Fleet.rollback(rolloutId, model + ":1"));

        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(Api.asViewer().get("/api/v1/devices/" + device + "/history").then().statusCode(200)
                        .extract().jsonPath().getList("entries.type", String.class))
                        // no rollback install: the device had no known release before this one
                        .containsSubsequence("REGISTERED", "INSTALL_REQUESTED", "ACTION_SUCCEEDED",
                                "COHORT_ROLLED_BACK"));
        JsonPath history = Api.asViewer().get("/api/v1/devices/" + device + "/history").then().extract().jsonPath();
        JsonPath rolledBack = entry(history, "COHORT_ROLLED_BACK");
        assertThat(rolledBack.getString("cohort")).isEqualTo(model + ":1");
        assertThat(rolledBack.getString("reason")).contains("failure rate");
        assertThat(entry(history, "INSTALL_REQUESTED").getLong("actionId")).isEqualTo(install.actionId());
    }

    @Test
    void given_a_long_history_when_paged_with_the_cursor_then_every_entry_comes_once_in_order() {
        String model = Fleet.uniqueModel();
        String rolloutId = Api.rolloutOfOneDevice(model);
        for (int i = 0; i < 6; i++) {
            Api.asOperator().body(Map.of("reason", "p" + i)).post("/api/v1/rollouts/" + rolloutId + "/pause")
                    .then().statusCode(200);
            Api.asOperator().body(Map.of("reason", "r" + i)).post("/api/v1/rollouts/" + rolloutId + "/resume")
                    .then().statusCode(200);
        }
        List<String> all = Api.asViewer().get("/api/v1/rollouts/" + rolloutId + "/history?limit=1000").then()
                .extract().jsonPath().getList("entries.reason");
        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = Api.asViewer().queryParam("limit", 3)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .get("/api/v1/rollouts/" + rolloutId + "/history").then().statusCode(200).extract().jsonPath();
            paged.addAll(page.getList("entries.reason"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 20);

        assertThat(paged).isEqualTo(all);
        assertThat(all).containsSubsequence("p0", "r0", "p5", "r5");
        assertThat(pages).isGreaterThan(4);
    }

    @Test
    void given_hostile_input_when_the_history_is_asked_for_then_4xx_problem_and_nothing_leaks() {
        String model = Fleet.uniqueModel();
        String rolloutId = Api.rolloutOfOneDevice(model);
        String base = "/api/v1/rollouts/" + rolloutId + "/history";
        for (String cursor : List.of("garbage!", "AAAA", "x".repeat(201), "MjAyNi0wMS0wMVQwMDowMDowMFp8Jw",
                "bad\u0000cursor")) {
            Api.asViewer().queryParam("cursor", cursor).get(base).then().statusCode(400)
                    .contentType(containsString("application/problem+json"));
        }
        Api.asViewer().queryParam("limit", 0).get(base).then().statusCode(400);
        Api.asViewer().queryParam("limit", 1001).get(base).then().statusCode(400);
        Api.asViewer().get("/api/v1/rollouts/" + "x".repeat(65) + "/history").then().statusCode(400);
        Api.asViewer().get("/api/v1/rollouts/no-such-rollout/history").then().statusCode(404)
                .contentType(containsString("application/problem+json"));
        Api.asViewer().get("/api/v1/devices/no-such-device/history").then().statusCode(404);
        Api.asViewer().get("/api/v1/devices/a%2Fb/history").then().statusCode(org.hamcrest.Matchers.oneOf(400, 404));
        io.restassured.RestAssured.given().get(base).then().statusCode(401);
        io.restassured.RestAssured.given().get("/api/v1/devices/" + model + "-a/history").then().statusCode(401);
    }

    @jakarta.inject.Inject
    io.updraft.rollout.service.HistoryRetention retention;
    @jakarta.inject.Inject
    io.updraft.rollout.persistence.HistoryRepository repository;

    @Test
    void given_device_entries_older_than_the_retention_when_swept_then_only_those_are_deleted() {
        String device = Fleet.uniqueModel() + "-old";
        java.time.Instant now = java.time.Instant.now();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> repository.appendDevice(List.of(
                new io.updraft.rollout.persistence.HistoryRepository.DeviceEntry(device, now.minus(Duration.ofDays(91)),
                        "ACTION_PROGRESSED", 1L, "r", "old"),
                new io.updraft.rollout.persistence.HistoryRepository.DeviceEntry(device, now.minus(Duration.ofDays(89)),
                        "ACTION_PROGRESSED", 2L, "r", "kept"))));

        retention.sweep();

        List<HistoryEntry> left = repository.device(device, null, null, 10);
        assertThat(left).extracting(HistoryEntry::details)
                .containsExactly("kept");
    }

    private static JsonPath entry(JsonPath history, String type) {
        List<Map<String, Object>> entries = history.getList("entries");
        Map<String, Object> found = entries.stream().filter(e -> type.equals(e.get("type"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + entries));
        return new JsonPath(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(found).toString());
    }
}
