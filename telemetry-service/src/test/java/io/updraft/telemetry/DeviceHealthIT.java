package io.updraft.telemetry;

import static io.restassured.RestAssured.given;
import static io.updraft.telemetry.Fixtures.asViewer;
import static io.updraft.telemetry.Fixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.EventMeta;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Each device's latest health, from {@code HealthReported} on the real device-telemetry topic: kept per device, never
 * replaced by a report that occurred earlier, unchanged by a redelivery; read one by one or a page at a time.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class DeviceHealthIT {
    private static final Duration AT_MOST = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void givenReports_whenANewerOneArrives_thenItReplacesTheHeldOneWithBoundedMetrics() {
        String device = newId("dev");
        TestKafka.send(report(device, T0, true, 0, true, Map.of("cpu", 0.25, "temp", 41.5)));
        await().atMost(AT_MOST).pollInterval(POLL).until(() -> health(device).statusCode() == 200);
        JsonPath first = health(device).jsonPath();
        assertThat(first.getBoolean("healthy")).isTrue();
        assertThat(first.getInt("crashCount")).isZero();
        assertThat(first.getMap("metrics")).containsEntry("cpu", 0.25f).containsEntry("temp", 41.5f);
        assertThat(Instant.parse(first.getString("reportedAt"))).isEqualTo(T0);

        Map<String, Double> many = new HashMap<>();
        IntStream.range(0, 60).forEach(i -> many.put("m%02d".formatted(i), (double) i));
        many.put("bad\u0007name", 1.0);
        TestKafka.send(report(device, T0.plusSeconds(5), false, 3, true, many));

        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> {
            JsonPath newer = health(device).jsonPath();
            assertThat(newer.getBoolean("bootOk")).isFalse();
            assertThat(newer.getBoolean("healthy")).isFalse();
            assertThat(newer.getInt("crashCount")).isEqualTo(3);
            assertThat(newer.getString("deviceId")).isEqualTo(device);
        });
        Map<String, Object> metrics = health(device).jsonPath().getMap("metrics");
        assertThat(metrics).hasSize(50).containsKeys("m00", "m49").doesNotContainKeys("m50", "bad\u0007name", "cpu");
    }

    @Test
    void givenANewerReport_whenAnOlderOneArrivesLater_thenTheNewerStays() {
        String device = newId("dev");
        String rollout = assignedToARollout(device);
        TestKafka.send(report(device, T0.plusSeconds(60), true, 2, true, Map.of("cpu", 0.9)));
        TestKafka.send(report(device, T0, false, 9, false, Map.of("cpu", 0.1))); // sent later, occurred earlier

        // both consumed: the rollout's cohort counted two health reports of the device
        await().atMost(AT_MOST).pollInterval(POLL).until(() -> healthReports(rollout) == 2);

        JsonPath held = health(device).jsonPath();
        assertThat(held.getInt("crashCount")).isEqualTo(2);
        assertThat(held.getBoolean("healthy")).isTrue();
        assertThat(Instant.parse(held.getString("reportedAt"))).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void givenAReport_whenItIsRedelivered_thenNothingChanges() {
        String device = newId("dev");
        String rollout = assignedToARollout(device);
        HealthReported report = report(device, T0.plusSeconds(30), true, 1, false, Map.of("mem", 0.5));
        TestKafka.send(report);
        await().atMost(AT_MOST).pollInterval(POLL).until(() -> health(device).statusCode() == 200);
        String before = health(device).asString();

        TestKafka.send(report); // the same record again, as a redelivery after a crash delivers it
        TestKafka.send(report(device, T0, true, 7, true, Map.of())); // an older one after it, to know both were read
        await().atMost(AT_MOST).pollInterval(POLL).until(() -> healthReports(rollout) == 2);

        assertThat(health(device).asString()).isEqualTo(before);
    }

    @Test
    void givenAPageOfDevices_whenReadInOneBatch_thenTheReportedOnesAreAnsweredAndTheOthersNamed() {
        String a = newId("dev");
        String b = newId("dev");
        String silent = newId("dev");
        TestKafka.send(report(a, T0, true, 0, true, Map.of()));
        TestKafka.send(report(b, T0, true, 4, false, Map.of()));
        await().atMost(AT_MOST).pollInterval(POLL).until(() -> health(a).statusCode() == 200
                && health(b).statusCode() == 200);

        JsonPath batch = asViewer().contentType("application/json")
                .body(Map.of("deviceIds", List.of(silent, b, a, a))).post("/api/v1/devices/health/batch")
                .then().statusCode(200).extract().jsonPath();

        assertThat(batch.getList("devices.deviceId")).containsExactlyInAnyOrder(a, b);
        assertThat(batch.getList("neverReported")).containsExactly(silent);
        assertThat(batch.getInt("devices.find { it.deviceId == '" + b + "' }.crashCount")).isEqualTo(4);
        assertThat(batch.getBoolean("devices.find { it.deviceId == '" + b + "' }.healthy")).isFalse();
    }

    @Test
    void givenADeviceThatNeverReported_whenRead_then404Problem() {
        asViewer().get("/api/v1/devices/{id}/health", newId("never")).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void givenHostileIdsOrBatches_whenRead_then400ProblemAndNothingIsAnswered() {
        for (String hostile : List.of("a%20b", "x".repeat(201), "%00", "a%0D%0Ab", "%C3%A9t%C3%A9", "a%2Fb")) {
            Response answer = asViewer().urlEncodingEnabled(false).get("/api/v1/devices/" + hostile + "/health");
            assertThat(answer.statusCode()).as(hostile).isIn(400, 404);
            assertThat(answer.contentType()).as(hostile).startsWith("application/problem+json");
        }
        List<String> tooMany = new ArrayList<>();
        IntStream.range(0, 201).forEach(i -> tooMany.add("d" + i));
        for (Object body : List.of(Map.of("deviceIds", tooMany), Map.of("deviceIds", List.of()), Map.of(),
                Map.of("deviceIds", List.of("ok", "a\u0000b")), Map.of("deviceIds", List.of("x".repeat(201))),
                Map.of("deviceIds", "not-a-list"))) {
            Response answer = asViewer().contentType("application/json").body(body)
                    .post("/api/v1/devices/health/batch");
            assertThat(answer.statusCode()).as(body.toString().substring(0, Math.min(80, body.toString().length())))
                    .isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
        asViewer().contentType("application/json").body("{\"deviceIds\":").post("/api/v1/devices/health/batch")
                .then().statusCode(400);
    }

    @Test
    void givenNoTokenOrNoManagementRole_whenRead_then401Or403() {
        given().get("/api/v1/devices/{id}/health", "d1").then().statusCode(401);
        given().contentType("application/json").body(Map.of("deviceIds", List.of("d1")))
                .post("/api/v1/devices/health/batch").then().statusCode(401);
        String device = UpdraftStackResource.tokens().mint("stranger", Duration.ofMinutes(10), "device");
        given().auth().oauth2(device).get("/api/v1/devices/{id}/health", "d1").then().statusCode(403);
        given().auth().oauth2(device).contentType("application/json").body(Map.of("deviceIds", List.of("d1")))
                .post("/api/v1/devices/health/batch").then().statusCode(403);
        for (String role : List.of("operator", "publisher")) {
            given().auth().oauth2(UpdraftStackResource.tokens().mint(role, Duration.ofMinutes(10), role))
                    .get("/api/v1/devices/{id}/health", newId("never")).then().statusCode(404);
        }
    }

    private static HealthReported report(String device, Instant at, boolean bootOk, int crashes, boolean appHealthy,
            Map<String, Double> metrics) {
        return new HealthReported(EventMeta.newId(), at, UpdraftEvent.SCHEMA_VERSION, device, bootOk, crashes,
                appHealthy, metrics);
    }

    /** The device installed a rollout's release, so its health reports count in that rollout's cohort. */
    private static String assignedToARollout(String device) {
        String rollout = newId("rollout");
        TestKafka.send(Fixtures.installed(device, rollout, "board:A", Outcome.SUCCESS));
        await().atMost(AT_MOST).pollInterval(POLL).until(() -> asViewer()
                .get("/api/v1/rollouts/{id}/health", rollout).statusCode() == 200);
        return rollout;
    }

    private static int healthReports(String rollout) {
        Response answer = asViewer().get("/api/v1/rollouts/{id}/health", rollout);
        if (answer.statusCode() != 200) {
            return -1;
        }
        List<Integer> counts = answer.jsonPath().getList("cohorts.healthReports", Integer.class);
        return counts.stream().mapToInt(Integer::intValue).sum();
    }

    private static Response health(String device) {
        return asViewer().get("/api/v1/devices/{id}/health", device);
    }
}
