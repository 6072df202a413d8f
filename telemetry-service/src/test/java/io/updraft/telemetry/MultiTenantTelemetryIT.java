package io.updraft.telemetry;

import static io.restassured.RestAssured.given;
import static io.updraft.telemetry.Fixtures.installed;
import static io.updraft.telemetry.Fixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceReport.Outcome;
import io.updraft.events.DeviceTelemetry.HealthReported;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.FleetHealthEvent;
import io.updraft.events.FleetHealthEvent.HealthWindowClosed;
import io.updraft.events.RollbackEvent;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.RolloutEvent.RolloutPaused;
import io.updraft.events.TenantIds;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.testsupport.TestKafka;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Two tenants in one telemetry-service (updraft.tenancy.mode=multi), ACME and GLOBEX, with the SAME rollout id, device
 * ids and hardware cohort: each tenant's cohort figures, decisions, device health, dashboard, live feed, fleet-health
 * records and metrics are its own, and the other tenant's rollout or device is 404 like an unknown one.
 */
@QuarkusTest
@TestProfile(MultiTenantTelemetryIT.TwoTenants.class)
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class MultiTenantTelemetryIT {
    static final String ACME = "ACME";
    static final String GLOBEX = "GLOBEX";
    private static final Duration AT_MOST = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(250);

    public static class TwoTenants implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("updraft.tenancy.mode", "multi");
        }
    }

    @TestHTTPResource("/api/v1/dashboard/events")
    URL events;

    @Test
    void given_the_same_rollout_devices_and_hardware_in_two_tenants_when_acmes_cohort_fails_then_all_stays_apart() {
        String rolloutId = newId("rollout");
        String device = newId("dev");
        List<String> devices = List.of(device + "-1", device + "-2", device + "-3", device + "-4");
        // the same policy in both; GLOBEX's four healthy installs would keep ACME's three failures under the
        // threshold (3 of 7) were the two cohorts one
        send(ACME, Fixtures.rolloutCreated(rolloutId, 0.5, 3, "board:A"));
        send(GLOBEX, Fixtures.rolloutCreated(rolloutId, 0.5, 3, "board:A"));
        devices.forEach(id -> send(GLOBEX, installed(id, rolloutId, "board:A", Outcome.SUCCESS)));
        devices.subList(0, 3).forEach(id -> send(ACME, installed(id, rolloutId, "board:A", Outcome.FAILURE)));

        // a rollback for ACME's rollout only, in ACME
        await().atMost(AT_MOST).pollInterval(POLL).until(() -> !rollbacks(ACME + "/" + rolloutId).isEmpty());
        ConsumerRecord<String, String> record = rollbacks(ACME + "/" + rolloutId).get(0);
        assertThat(EventJson.tenantOf(record.value())).isEqualTo(ACME);
        assertThat(TestKafka.header(record, "ce_tenant")).isEqualTo(ACME);
        RollbackTriggered trigger = (RollbackTriggered) EventJson.read(record.value(), RollbackEvent.class);
        assertThat(trigger.rolloutId()).isEqualTo(rolloutId);
        assertThat(trigger.cohort()).isEqualTo("board:A");
        assertThat(trigger.evidence().failed()).isEqualTo(3);
        assertThat(trigger.evidence().succeeded()).isZero();

        // health counts for the rollout a device is assigned to by its install, which device-reports' consumer records:
        // the two topics are consumed apart, so the reports go once both tenants' installs are counted
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> {
            as(ACME).get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                    .body("cohorts.find { it.cohort == 'board:A' }.failed", is(3));
            as(GLOBEX).get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                    .body("cohorts.find { it.cohort == 'board:A' }.succeeded", is(4));
        });
        send(ACME, Fixtures.health(devices.get(0), false, 2, true));
        send(GLOBEX, Fixtures.health(devices.get(0), true, 0, true));

        // each tenant's health view: its own devices only
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> {
            JsonPath acme = as(ACME).get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(acme.getLong("cohorts.find { it.cohort == 'board:A' }.failed")).isEqualTo(3);
            assertThat(acme.getLong("cohorts.find { it.cohort == 'board:A' }.succeeded")).isZero();
            // the same device id's health report counted in each tenant's cohort: ACME's unhealthy, GLOBEX's not
            assertThat(acme.getLong("cohorts.find { it.cohort == 'board:A' }.healthReports")).isEqualTo(1);
            assertThat(acme.getLong("cohorts.find { it.cohort == 'board:A' }.unhealthyReports")).isEqualTo(1);
            assertThat(acme.getBoolean("cohorts.find { it.cohort == 'board:A' }.rolledBack")).isTrue();
            JsonPath globex = as(GLOBEX).get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(globex.getLong("cohorts.find { it.cohort == 'board:A' }.succeeded")).isEqualTo(4);
            assertThat(globex.getLong("cohorts.find { it.cohort == 'board:A' }.failed")).isZero();
            assertThat(globex.getLong("cohorts.find { it.cohort == 'board:A' }.healthReports")).isEqualTo(1);
            assertThat(globex.getLong("cohorts.find { it.cohort == 'board:A' }.unhealthyReports")).isZero();
            assertThat(globex.getBoolean("cohorts.find { it.cohort == 'board:A' }.rolledBack")).isFalse();
        });
        as(ACME).queryParam("rolloutId", rolloutId).get("/api/v1/rollbacks").then().statusCode(200)
                .body("size()", is(1)).body("[0].rolloutId", is(rolloutId));
        as(GLOBEX).queryParam("rolloutId", rolloutId).get("/api/v1/rollbacks").then().statusCode(200)
                .body("size()", is(0));
        assertThat(as(GLOBEX).get("/api/v1/rollbacks").jsonPath().getList("rolloutId")).doesNotContain(rolloutId);
        // no decision for GLOBEX, none under DEFAULT's bare key
        assertThat(rollbacks(GLOBEX + "/" + rolloutId)).isEmpty();
        assertThat(rollbacks(rolloutId)).isEmpty();

        // each device's latest health in its tenant
        as(ACME).get("/api/v1/devices/{id}/health", devices.get(0)).then().statusCode(200)
                .body("healthy", is(false)).body("crashCount", is(2));
        as(GLOBEX).get("/api/v1/devices/{id}/health", devices.get(0)).then().statusCode(200)
                .body("healthy", is(true)).body("crashCount", is(0));

        // the dashboard: each tenant's rollout with its own devices
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> {
            assertThat(devicesOn(ACME, rolloutId)).containsEntry("FAILED", 3);
            assertThat(devicesOn(GLOBEX, rolloutId)).containsEntry("SUCCEEDED", 4).doesNotContainKey("FAILED");
        });
        assertThat(as(GLOBEX).get("/api/v1/dashboard").jsonPath().getList("rollbacks.rolloutId"))
                .doesNotContain(rolloutId);

        // fleet-health windows in each tenant, keyed TENANT/rolloutId, with its own figures
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> {
            assertThat(lastWindow(ACME, rolloutId).cohorts()).singleElement().satisfies(c -> {
                assertThat(c.failed()).isEqualTo(3);
                assertThat(c.succeeded()).isZero();
                assertThat(c.rolledBack()).isTrue();
            });
            assertThat(lastWindow(GLOBEX, rolloutId).cohorts()).singleElement().satisfies(c -> {
                assertThat(c.succeeded()).isEqualTo(4);
                assertThat(c.failed()).isZero();
                assertThat(c.rolledBack()).isFalse();
            });
        });
        assertThat(TestKafka.recordsWithKey(Topics.FLEET_HEALTH, rolloutId)).isEmpty();
        assertThat(TestKafka.recordsWithKey(Topics.FLEET_HEALTH, GLOBEX + "/" + rolloutId))
                .allSatisfy(r -> assertThat(TestKafka.header(r, "ce_tenant")).isEqualTo(GLOBEX));

        // Prometheus: the per-cohort series carry their tenant
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("updraft_cohort_failure_rate{cohort=\"board:A\",rollout=\"" + rolloutId
                        + "\",tenant=\"ACME\"}"))
                .body(containsString("updraft_cohort_failure_rate{cohort=\"board:A\",rollout=\"" + rolloutId
                        + "\",tenant=\"GLOBEX\"}")));
    }

    @Test
    void given_a_rollout_and_a_device_of_acme_when_globex_asks_for_them_then_404_as_if_unknown() {
        String rolloutId = newId("rollout");
        String device = newId("dev");
        send(ACME, installed(device, rolloutId, "board:A", Outcome.SUCCESS));
        send(ACME, Fixtures.health(device, true, 0, true));
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> {
            as(ACME).get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200);
            as(ACME).get("/api/v1/devices/{id}/health", device).then().statusCode(200);
        });

        Response foreign = as(GLOBEX).get("/api/v1/rollouts/{id}/health", rolloutId);
        Response unknown = as(GLOBEX).get("/api/v1/rollouts/{id}/health", "never-" + rolloutId);
        for (Response answer : List.of(foreign, unknown)) {
            answer.then().statusCode(404).contentType("application/problem+json").body("status", is(404));
        }
        assertThat(foreign.jsonPath().getString("title")).isEqualTo(unknown.jsonPath().getString("title"));
        as(GLOBEX).get("/api/v1/devices/{id}/health", device).then().statusCode(404)
                .contentType("application/problem+json");
        as(GLOBEX).contentType("application/json").body(Map.of("deviceIds", List.of(device)))
                .post("/api/v1/devices/health/batch").then().statusCode(200)
                .body("devices.size()", is(0)).body("neverReported", org.hamcrest.Matchers.contains(device));
        assertThat(as(GLOBEX).get("/api/v1/dashboard").jsonPath().getList("rollouts.rolloutId"))
                .doesNotContain(rolloutId);
    }

    @Test
    void given_hostile_tenants_or_ids_when_asking_then_refused_and_nothing_of_another_tenant_is_answered() {
        // a token that names no tenant: multi mode serves it nothing
        String noTenant = UpdraftStackResource.tokens().mint("viewer", Duration.ofMinutes(5), "viewer");
        given().auth().oauth2(noTenant).get("/api/v1/dashboard").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(noTenant).get("/api/v1/rollbacks").then().statusCode(403);
        // a tenant claim that is not a tenant id fails the token
        for (String claim : List.of("ACME/GLOBEX", "A".repeat(41), "AC ME", "AC\u0000ME", "")) {
            String token = UpdraftStackResource.tokens().mintForTenant(claim, "op", Duration.ofMinutes(5), "viewer");
            given().auth().oauth2(token).get("/api/v1/dashboard").then().statusCode(401);
        }
        // another tenant's rollout cannot be named through the path: an id never holds its tenant's prefix
        String rolloutId = newId("rollout");
        send(ACME, installed(newId("dev"), rolloutId, "board:A", Outcome.SUCCESS));
        await().atMost(AT_MOST).pollInterval(POLL).untilAsserted(() -> as(ACME)
                .get("/api/v1/rollouts/{id}/health", rolloutId).then().statusCode(200));
        for (String hostile : Stream.of("ACME%2F", "ACME/", "ACME%252F", "%2E%2E%2FACME%2F", "ACME%00")
                .map(prefix -> prefix + rolloutId).toList()) {
            Response answer = as(GLOBEX).urlEncodingEnabled(false).get("/api/v1/rollouts/" + hostile + "/health");
            assertThat(answer.statusCode()).as(hostile).isIn(400, 404);
            assertThat(answer.asString()).as(hostile).doesNotContain("board:A");
            Response listed = as(GLOBEX).urlEncodingEnabled(false).get("/api/v1/rollbacks?rolloutId=" + hostile);
            assertThat(listed.statusCode()).as(hostile).isIn(200, 400);
            assertThat(listed.asString()).as(hostile).doesNotContain(rolloutId);
        }
        // a record whose tenant is not a tenant id is parked and counts for no one
        String parkedRollout = newId("rollout");
        String json = EventJson.write(installed(newId("dev"), parkedRollout, "board:A", Outcome.FAILURE));
        TestKafka.send(Topics.DEVICE_REPORTS, "x", "{\"tenant\":\"ACME/GLOBEX\"," + json.substring(1));
        await().atMost(AT_MOST).pollInterval(POLL).until(() -> TestKafka.anyValue(
                Topics.deadLetter(Topics.DEVICE_REPORTS), "{\"tenant\":\"ACME/GLOBEX\"," + json.substring(1)));
        for (String tenant : List.of(ACME, GLOBEX, TenantIds.DEFAULT)) {
            as(tenant).get("/api/v1/rollouts/{id}/health", parkedRollout).then().statusCode(404);
        }
    }

    @Test
    void given_two_tenants_watching_the_live_dashboard_when_each_tenants_rollout_changes_then_each_sees_its_own()
            throws Exception {
        String rolloutId = newId("rollout");
        List<String> acmeLines = new CopyOnWriteArrayList<>();
        List<String> globexLines = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Stream<String>> bodies = new CopyOnWriteArrayList<>();
        stream(client, ACME, acmeLines, bodies);
        stream(client, GLOBEX, globexLines, bodies);
        try {
            await().atMost(AT_MOST).pollInterval(POLL).until(() -> acmeLines.stream().anyMatch(l -> l.contains(
                    "Connected")) && globexLines.stream().anyMatch(l -> l.contains("Connected")));
            long[] lastSent = { 0 };
            // the feed reads from the latest offset once its consumer has joined: send again until both have seen one
            await().atMost(AT_MOST).pollInterval(POLL).until(() -> {
                if (System.currentTimeMillis() - lastSent[0] > 2000) {
                    lastSent[0] = System.currentTimeMillis();
                    send(GLOBEX, paused(rolloutId, "globex-secret"));
                    send(ACME, paused(rolloutId, "acme-pause"));
                }
                return acmeLines.stream().anyMatch(l -> l.contains("acme-pause"))
                        && globexLines.stream().anyMatch(l -> l.contains("globex-secret"));
            });
        } finally {
            bodies.forEach(Stream::close); // closes the connections
        }
        assertThat(acmeLines).noneMatch(l -> l.contains("globex-secret"));
        assertThat(globexLines).noneMatch(l -> l.contains("acme-pause"));
        // the rollout's own id, not its tenant-prefixed key
        assertThat(acmeLines).filteredOn(l -> l.contains("acme-pause"))
                .allMatch(l -> l.contains("\"rolloutId\":\"" + rolloutId + "\""));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static RequestSpecification as(String tenant) {
        return given().auth().oauth2(UpdraftStackResource.tokens().mintForTenant(tenant, "viewer-" + tenant,
                Duration.ofMinutes(10), "viewer"));
    }

    /** As the tenant's services publish it: its "tenant" field and the TENANT/key key. */
    private static void send(String tenant, UpdraftEvent event) {
        TestKafka.send(event.topic(), TenantIds.recordKey(tenant, event.key()), EventJson.write(tenant, event));
    }

    private static List<ConsumerRecord<String, String>> rollbacks(String key) {
        return TestKafka.recordsWithKey(Topics.ROLLBACKS, key);
    }

    /** Devices per state of the rollout's card on the tenant's dashboard. */
    private static Map<String, Integer> devicesOn(String tenant, String rolloutId) {
        JsonPath dashboard = as(tenant).get("/api/v1/dashboard").then().statusCode(200).extract().jsonPath();
        Map<String, Integer> devices = dashboard.getMap("rollouts.find { it.rolloutId == '" + rolloutId
                + "' }.devices", String.class, Integer.class);
        assertThat(devices).as(tenant + "'s card of " + rolloutId).isNotNull();
        return devices;
    }

    private static HealthWindowClosed lastWindow(String tenant, String rolloutId) {
        List<ConsumerRecord<String, String>> records = TestKafka.recordsWithKey(Topics.FLEET_HEALTH,
                tenant + "/" + rolloutId);
        assertThat(records).isNotEmpty();
        ConsumerRecord<String, String> last = records.get(records.size() - 1);
        assertThat(EventJson.tenantOf(last.value())).isEqualTo(tenant);
        assertThat(TestKafka.header(last, "ce_tenant")).isEqualTo(tenant);
        HealthWindowClosed window = (HealthWindowClosed) EventJson.read(last.value(), FleetHealthEvent.class);
        assertThat(window.rolloutId()).isEqualTo(rolloutId);
        return window;
    }

    private static RolloutPaused paused(String rolloutId, String reason) {
        return new RolloutPaused(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, rolloutId, reason);
    }

    /** Opens the tenant's SSE feed; its lines are collected into {@code lines} until its body is closed. */
    private void stream(HttpClient client, String tenant, List<String> lines, List<Stream<String>> bodies) {
        String token = UpdraftStackResource.tokens().mintForTenant(tenant, "viewer-" + tenant, Duration.ofMinutes(10),
                "viewer");
        HttpRequest request = HttpRequest.newBuilder(URI.create(events.toString()))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build();
        CompletableFuture<?> reading = client.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> {
                    lines.add("HTTP " + response.statusCode());
                    bodies.add(response.body());
                    try {
                        response.body().forEach(lines::add);
                    } catch (RuntimeException closed) {
                        // the test closed the body
                    }
                });
        assertThat(reading).isNotNull();
    }
}
