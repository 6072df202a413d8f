package io.updraft.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.TenantEvent.Quotas;
import io.updraft.events.TenantEvent.TenantDefined;
import io.updraft.events.TenantIds;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.rollout.persistence.ReleaseCatalog;
import io.updraft.rollout.service.WaveGate;
import io.updraft.support.tenant.TenantQuotaBook;
import io.updraft.support.tenant.Tenants;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Two tenants in one installation ({@code updraft.tenancy.mode=multi}, ADR 0021): ACME and GLOBEX have the same
 * device ids, the same release (id, name and version) and rollouts of the same name. Each token sees only its own
 * tenant's devices and rollouts, every resource of the other tenant is a 404 exactly like an unknown one (and changes
 * nothing), every command and event carries its rollout's tenant, and a report of one tenant's device never moves the
 * other's action.
 */
@QuarkusTest
@TestProfile(MultiTenantRolloutsIT.MultiTenant.class)
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class MultiTenantRolloutsIT extends WatchedTopicsTest {
    private static final String ACME = "ACME";
    private static final String GLOBEX = "GLOBEX";
    private static final String PROBLEM = "application/problem+json";
    private static final String NAME = "same-name";

    public static class MultiTenant implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("updraft.tenancy.mode", "multi");
        }
    }

    @Inject
    ReleaseCatalog catalog;
    @Inject
    TenantQuotaBook quotaBook;
    @Inject
    WaveGate waveGate;

    /** Both tenants' fleets of {@code model}: ACME {@code -a, -b}, GLOBEX the same two and {@code -only-globex}. */
    private record Fleets(String model, String releaseId) {
        String a() {
            return model + "-a";
        }

        String b() {
            return model + "-b";
        }

        String onlyGlobex() {
            return model + "-only-globex";
        }

        String cohort() {
            return HardwareCompatibility.cohortOf(model, "1");
        }

        /** The name both tenants give their rollouts of this fleet (of this test only). */
        String name() {
            return NAME + "-" + model;
        }
    }

    @Test
    void given_the_same_ids_in_two_tenants_then_each_token_sees_only_its_own_devices_and_rollouts() {
        Fleets fleets = fleets();
        for (String tenant : List.of(ACME, GLOBEX)) {
            as(tenant).get("/api/v1/devices/" + fleets.a()).then().statusCode(200)
                    .body("attributes.site", equalTo(tenant.toLowerCase()));
        }
        assertThat(as(ACME).queryParam("model", fleets.model()).get("/api/v1/devices").then().statusCode(200)
                .extract().jsonPath().getList("items.deviceId", String.class))
                .containsExactly(fleets.a(), fleets.b());
        assertThat(as(GLOBEX).queryParam("model", fleets.model()).queryParam("limit", 10).get("/api/v1/devices")
                .then().statusCode(200).extract().jsonPath().getList("items.deviceId", String.class))
                .containsExactly(fleets.a(), fleets.b(), fleets.onlyGlobex());
        notFoundLikeUnknown(ACME, "get", "/api/v1/devices/%s", fleets.onlyGlobex());
        notFoundLikeUnknown(ACME, "get", "/api/v1/devices/%s/history", fleets.onlyGlobex());

        as(ACME).body(body(fleets)).post("/api/v1/rollouts/preview").then().statusCode(200)
                .body("matching", equalTo(2));
        as(GLOBEX).body(body(fleets)).post("/api/v1/rollouts/preview").then().statusCode(200)
                .body("matching", equalTo(3));
        String acme = create(ACME, fleets);
        String globex = create(GLOBEX, fleets);
        for (String query : List.of("name", "releaseId")) {
            String value = query.equals("name") ? fleets.name() : fleets.releaseId();
            assertThat(as(ACME).queryParam(query, value).get("/api/v1/rollouts").then().statusCode(200).extract()
                    .jsonPath().getList("id", String.class)).as(query).containsExactly(acme);
            assertThat(as(GLOBEX).queryParam(query, value).get("/api/v1/rollouts").then().statusCode(200).extract()
                    .jsonPath().getList("id", String.class)).as(query).containsExactly(globex);
        }
        as(ACME).get("/api/v1/rollouts/" + acme).then().statusCode(200).body("waves[0].devices", equalTo(2));
        as(GLOBEX).get("/api/v1/rollouts/" + globex).then().statusCode(200).body("waves[0].devices", equalTo(3));
        // every installs' device of ACME's rollout is ACME's (the same ids, but two of them, not three)
        List<InstallRequested> acmeInstalls = awaitInstalls(acme, 1, 2);
        awaitInstalls(globex, 1, 3);
        assertThat(acmeInstalls).extracting(InstallRequested::deviceId)
                .containsExactlyInAnyOrder(fleets.a(), fleets.b());
    }

    @Test
    void given_a_rollout_of_another_tenant_then_every_resource_is_a_404_like_an_unknown_one_and_nothing_changes() {
        Fleets fleets = fleets();
        String globex = create(GLOBEX, fleets);
        awaitInstalls(globex, 1, 3);
        for (String path : List.of("/api/v1/rollouts/%s", "/api/v1/rollouts/%s/actions",
                "/api/v1/rollouts/%s/progress", "/api/v1/rollouts/%s/history")) {
            notFoundLikeUnknown(ACME, "get", path, globex);
        }
        for (String path : List.of("/api/v1/rollouts/%s/pause", "/api/v1/rollouts/%s/resume",
                "/api/v1/rollouts/%s/approve", "/api/v1/rollouts/%s/abort",
                "/api/v1/rollouts/%s/cohorts/" + fleets.cohort() + "/rollback")) {
            notFoundLikeUnknown(ACME, "post", path, globex);
        }
        // a release only GLOBEX published is unknown to ACME
        String globexOnly = UUID.randomUUID().toString();
        send(GLOBEX, Fleet.release(globexOnly, "9.0.0", fleets.model()));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> QuarkusTransaction.requiringNew().call(() -> Tenants.runAs(GLOBEX,
                        () -> catalog.find(globexOnly).isPresent())));
        as(ACME).body(Map.of("releaseId", globexOnly, "target", Map.of("model", fleets.model())))
                .post("/api/v1/rollouts").then().statusCode(422).contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.containsString("unknown"));
        as(GLOBEX).get("/api/v1/rollouts/" + globex).then().statusCode(200).body("state", equalTo("RUNNING"))
                .body("cohorts[0].state", equalTo("ACTIVE"));
        assertThat(as(GLOBEX).get("/api/v1/rollouts/" + globex + "/actions").then().statusCode(200).extract()
                .jsonPath().getList("state", String.class)).hasSize(3).doesNotContain("CANCELING", "CANCELED");
        assertThat(as(GLOBEX).get("/api/v1/rollouts/" + globex + "/history").then().statusCode(200).extract()
                .jsonPath().getList("entries.type", String.class))
                .doesNotContain("PAUSED", "ABORTED", "APPROVED", "COHORT_ROLLED_BACK");
    }

    @Test
    void given_two_tenants_rollouts_then_their_commands_and_events_carry_their_tenant() {
        Fleets fleets = fleets();
        String acme = create(ACME, fleets);
        String globex = create(GLOBEX, fleets);
        awaitInstalls(acme, 1, 2);
        awaitInstalls(globex, 1, 3);
        for (Map.Entry<String, String> rollout : Map.of(ACME, acme, GLOBEX, globex).entrySet()) {
            String tenant = rollout.getKey();
            List<ConsumerRecord<String, String>> installs = commands.records().stream()
                    .filter(r -> r.value().contains(rollout.getValue())).toList();
            assertThat(installs).hasSize(tenant.equals(ACME) ? 2 : 3).allSatisfy(record -> {
                InstallRequested install = (InstallRequested) EventJson.read(record.value(), DeviceCommand.class);
                assertThat(record.key()).isEqualTo(tenant + "/" + install.deviceId());
                assertThat(TestKafka.header(record, "ce_tenant")).isEqualTo(tenant);
                assertThat(EventJson.tenantOf(record.value())).isEqualTo(tenant);
            });
            List<ConsumerRecord<String, String>> events = await().atMost(Duration.ofSeconds(30))
                    .until(() -> rolloutEvents.records().stream()
                            .filter(r -> r.value().contains(rollout.getValue())).toList(), found -> found.size() >= 2);
            assertThat(events).allSatisfy(record -> {
                assertThat(record.key()).isEqualTo(tenant + "/" + rollout.getValue());
                assertThat(TestKafka.header(record, "ce_tenant")).isEqualTo(tenant);
                assertThat(EventJson.tenantOf(record.value())).isEqualTo(tenant);
            });
        }
    }

    @Test
    void given_rollouts_the_wave_gate_moves_then_it_moves_each_in_its_own_tenant() {
        Fleets fleets = fleets();
        // ACME: wave 2 opens when wave 1 soaked (the gate's tick); GLOBEX: the gate starts it at its start time
        String acme = as(ACME).body(Map.of("name", fleets.name(), "releaseId", fleets.releaseId(), "target",
                Map.of("model", fleets.model()), "waves", List.of(50, 100), "canaryPerCohort", 0, "soakTime", "PT1S"))
                .post("/api/v1/rollouts")
                .then().statusCode(201).extract().path("id");
        String globex = as(GLOBEX).body(Map.of("name", fleets.name(), "releaseId", fleets.releaseId(), "target",
                Map.of("model", fleets.model()), "startAt", java.time.Instant.now().plusSeconds(3).toString()))
                .post("/api/v1/rollouts").then().statusCode(201).body("state", equalTo("SCHEDULED")).extract().path("id");
        for (InstallRequested install : awaitInstalls(acme, 1, 1)) {
            send(ACME, Fleet.finished(install, DeviceReport.Outcome.SUCCESS));
        }
        List<InstallRequested> wave2 = awaitInstalls(acme, 2, 1);
        List<InstallRequested> started = awaitInstalls(globex, 1, 3);
        assertThat(wave2).extracting(InstallRequested::rolloutId).containsOnly(acme);
        for (Map.Entry<String, String> rollout : Map.of(ACME, acme, GLOBEX, globex).entrySet()) {
            assertThat(commands.records().stream().filter(r -> r.value().contains(rollout.getValue())))
                    .allSatisfy(record -> {
                        assertThat(record.key()).startsWith(rollout.getKey() + "/");
                        assertThat(TestKafka.header(record, "ce_tenant")).isEqualTo(rollout.getKey());
                    });
        }
        assertThat(started).extracting(InstallRequested::deviceId)
                .containsExactlyInAnyOrder(fleets.a(), fleets.b(), fleets.onlyGlobex());
        as(GLOBEX).get("/api/v1/rollouts/" + globex).then().statusCode(200).body("state", equalTo("RUNNING"));
        as(ACME).get("/api/v1/rollouts/" + acme).then().statusCode(200).body("currentWave", equalTo(2));
    }

    @Test
    void given_a_report_of_globex_device_then_acme_action_of_the_same_device_id_does_not_move() {
        Fleets fleets = fleets();
        String acme = create(ACME, fleets);
        String globex = create(GLOBEX, fleets);
        InstallRequested acmeA = awaitInstalls(acme, 1, 2).stream()
                .filter(c -> c.deviceId().equals(fleets.a())).findFirst().orElseThrow();
        InstallRequested globexA = awaitInstalls(globex, 1, 3).stream()
                .filter(c -> c.deviceId().equals(fleets.a())).findFirst().orElseThrow();

        // GLOBEX's gw-a reports a failure of ACME's action (its id, its rollout), then its own success: same record
        // key, so the forged report is applied first
        send(GLOBEX, Fleet.finished(acmeA, DeviceReport.Outcome.FAILURE));
        send(GLOBEX, Fleet.finished(globexA, DeviceReport.Outcome.SUCCESS));

        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                as(GLOBEX).queryParam("deviceId", fleets.a()).get("/api/v1/rollouts/" + globex + "/actions").then()
                        .statusCode(200).body("state", equalTo(List.of("SUCCEEDED"))));
        as(ACME).queryParam("deviceId", fleets.a()).get("/api/v1/rollouts/" + acme + "/actions").then()
                .statusCode(200).body("state", equalTo(List.of("SCHEDULED")));
        as(GLOBEX).get("/api/v1/devices/" + fleets.a()).then().statusCode(200)
                .body("installedReleaseId", equalTo(fleets.releaseId()));
        as(ACME).get("/api/v1/devices/" + fleets.a()).then().statusCode(200)
                .body("installedReleaseId", equalTo(null));
        as(ACME).get("/api/v1/rollouts/" + acme).then().statusCode(200)
                .body("waves[0].failed", equalTo(0)).body("waves[0].installed", equalTo(0));
        assertThat(as(ACME).get("/api/v1/devices/" + fleets.a() + "/history").then().statusCode(200).extract()
                .jsonPath().getList("entries.type", String.class)).doesNotContain("ACTION_SUCCEEDED", "ACTION_FAILED");

        // ACME's own report moves ACME's action only
        send(ACME, Fleet.finished(acmeA, DeviceReport.Outcome.SUCCESS));
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                as(ACME).queryParam("deviceId", fleets.a()).get("/api/v1/rollouts/" + acme + "/actions").then()
                        .statusCode(200).body("state", equalTo(List.of("SUCCEEDED"))));
    }

    @Test
    void given_hostile_tenants_in_tokens_and_records_then_they_are_refused_and_change_nothing() {
        // a token naming no tenant has none in multi mode; one naming no tenant id is no identity at all
        given().auth().oauth2(UpdraftStackResource.tokens().mint("no-tenant", Duration.ofMinutes(5), "operator"))
                .get("/api/v1/rollouts").then().statusCode(403);
        for (String hostile : List.of("../acme", "ACME\u0000", "a".repeat(41), "ac/me", "")) {
            given().auth().oauth2(UpdraftStackResource.tokens().mintForTenant(hostile, "x", Duration.ofMinutes(5),
                    "operator")).get("/api/v1/rollouts").then().statusCode(401);
        }
        // a record whose tenant is no tenant id is parked, nothing applied
        String model = Fleet.uniqueModel();
        String device = model + "-hostile";
        String json = EventJson.write(Fleet.registered(device, model, "1"));
        for (String hostile : List.of("ac/me", "a".repeat(41), "..")) {
            TestKafka.send("device-reports", device, "{\"tenant\":\"" + hostile + "\"," + json.substring(1));
        }
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
                .until(() -> TestKafka.recordsMentioning("device-reports.dlq", device).size() == 3);
        for (String tenant : List.of(ACME, GLOBEX, TenantIds.DEFAULT)) {
            as(tenant).get("/api/v1/devices/" + device).then().statusCode(404);
        }
        // a tenant-prefixed id in a path reaches no other tenant: refused before any SQL, or unknown
        as(ACME).urlEncodingEnabled(false).get("/api/v1/devices/GLOBEX%2F" + device).then()
                .statusCode(oneOf(400, 404));
        as(ACME).urlEncodingEnabled(false).get("/api/v1/rollouts/GLOBEX%2F" + UUID.randomUUID()).then()
                .statusCode(oneOf(400, 404));
        as(ACME).get("/api/v1/rollouts/" + "r".repeat(65)).then().statusCode(400);
    }

    @Test
    void given_a_tenant_at_its_rollouts_in_flight_quota_then_starting_one_more_is_a_409_until_one_ends_or_it_is_raised()
            throws Exception {
        String tenant = uniqueTenant("QUOTA");
        String free = uniqueTenant("FREE");
        // an unreadable record on the registry is skipped: the next one still applies
        TestKafka.send(Topics.TENANTS, tenant, "not a tenant record");
        define(tenant, 1, new Quotas(null, null, 2, null));
        String[] fleet = fleetOf(tenant, 1);
        String[] freeFleet = fleetOf(free, 1);
        Map<String, Object> body = Map.of("releaseId", fleet[1], "target", Map.of("model", fleet[0]));

        // six concurrent starts, two slots: the tenant's lock lets exactly two in, the others change nothing
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Response> answers = new ArrayList<>();
        try {
            List<Future<Response>> posts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                posts.add(pool.submit(() -> as(tenant).body(body).post("/api/v1/rollouts")));
            }
            for (Future<Response> post : posts) {
                answers.add(post.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(answers).extracting(Response::statusCode).containsOnly(201, 409).filteredOn(code -> code == 201)
                .hasSize(2);
        for (Response refused : answers.stream().filter(a -> a.statusCode() == 409).toList()) {
            refused.then().contentType(PROBLEM).body("status", equalTo(409)).body("detail", equalTo("tenant " + tenant
                    + " may have 2 rollouts in flight (maxRolloutsInFlight) and has 2 (running, waiting for approval"
                    + " or paused): nothing was created; end or abort one, or ask for a higher quota"));
        }
        List<String> running = as(tenant).get("/api/v1/rollouts").then().statusCode(200).extract().jsonPath()
                .getList("id", String.class);
        assertThat(running).hasSize(2);

        // a paused rollout is still in flight; a scheduled one is not, until it starts
        as(tenant).body("{}").post("/api/v1/rollouts/" + running.get(0) + "/pause").then().statusCode(200);
        as(tenant).body(body).post("/api/v1/rollouts").then().statusCode(409).contentType(PROBLEM);
        Instant startAt = Instant.now().plusSeconds(1);
        String scheduled = as(tenant).body(Map.of("releaseId", fleet[1], "target", Map.of("model", fleet[0]),
                "startAt", startAt.toString())).post("/api/v1/rollouts").then().statusCode(201)
                .body("state", equalTo("SCHEDULED")).extract().path("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(startAt.plusMillis(100)));
        Tenants.runAs(tenant, () -> waveGate.startIfDue(scheduled)); // due, but no room: it waits
        as(tenant).get("/api/v1/rollouts/" + scheduled).then().statusCode(200).body("state", equalTo("SCHEDULED"));

        // a rollout that ends frees its slot: the scheduled one takes it on the gate's next tick
        as(tenant).body("{}").post("/api/v1/rollouts/" + running.get(0) + "/abort").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                as(tenant).get("/api/v1/rollouts/" + scheduled).then().statusCode(200)
                        .body("state", equalTo("RUNNING")));
        as(tenant).body(body).post("/api/v1/rollouts").then().statusCode(409).contentType(PROBLEM);

        // a newer record raises the quota: the next start passes, the one after is refused at the new limit
        define(tenant, 2, new Quotas(null, null, 3, null));
        as(tenant).body(body).post("/api/v1/rollouts").then().statusCode(201).body("state", equalTo("RUNNING"));
        as(tenant).body(body).post("/api/v1/rollouts").then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.startsWith("tenant " + tenant + " may have 3 rollouts in flight"
                        + " (maxRolloutsInFlight) and has 3 "));
        assertThat(as(tenant).queryParam("limit", 100).get("/api/v1/rollouts").then().statusCode(200).extract()
                .jsonPath().getList("state", String.class))
                .containsExactlyInAnyOrder("RUNNING", "RUNNING", "RUNNING", "ABORTED");

        // a tenant without a registry record is unlimited
        Map<String, Object> freeBody = Map.of("releaseId", freeFleet[1], "target", Map.of("model", freeFleet[0]));
        for (int i = 0; i < 4; i++) {
            as(free).body(freeBody).post("/api/v1/rollouts").then().statusCode(201);
        }
    }

    @Test
    void given_a_tenant_with_a_commands_per_second_quota_then_its_wave_is_paced_and_another_tenant_is_not() {
        int perSecond = 20;
        int devices = 100;
        String paced = uniqueTenant("PACED");
        String unpaced = uniqueTenant("UNPACED");
        define(paced, 1, new Quotas(null, null, null, perSecond));
        String[] pacedFleet = fleetOf(paced, devices);
        String[] unpacedFleet = fleetOf(unpaced, devices);
        String pacedRollout = as(paced).body(Map.of("releaseId", pacedFleet[1], "target",
                Map.of("model", pacedFleet[0]))).post("/api/v1/rollouts").then().statusCode(201).extract().path("id");
        String unpacedRollout = as(unpaced).body(Map.of("releaseId", unpacedFleet[1], "target",
                Map.of("model", unpacedFleet[0]))).post("/api/v1/rollouts").then().statusCode(201).extract().path("id");
        awaitInstalls(unpacedRollout, 1, devices);
        awaitInstalls(pacedRollout, 1, devices);

        // on the commands' record timestamps: at most N saved up plus N accrued in any second, so 100 take > 3 s
        List<Long> pacedTimes = sendTimes(pacedRollout);
        assertThat(pacedTimes).hasSize(devices);
        assertThat(busiestSecond(pacedTimes)).isLessThanOrEqualTo(2 * perSecond);
        assertThat(pacedTimes.get(devices - 1) - pacedTimes.get(0)).isGreaterThanOrEqualTo(3_000);
        // the other tenant's wave leaves a chunk at a time, more in a second than the paced tenant may send
        List<Long> unpacedTimes = sendTimes(unpacedRollout);
        assertThat(unpacedTimes).hasSize(devices);
        assertThat(busiestSecond(unpacedTimes)).isGreaterThan(2 * perSecond);
    }

    /** The record timestamps (the producer's send time) of the rollout's installs on device-commands, in order. */
    private List<Long> sendTimes(String rolloutId) {
        return commands.records().stream().filter(r -> r.value().contains(rolloutId))
                .map(ConsumerRecord::timestamp).sorted().toList();
    }

    /** The most records of any 1-second window. */
    private static int busiestSecond(List<Long> sorted) {
        int busiest = 0;
        for (int first = 0, last = 0; first < sorted.size(); first++) {
            while (last < sorted.size() && sorted.get(last) < sorted.get(first) + 1_000) {
                last++;
            }
            busiest = Math.max(busiest, last - first);
        }
        return busiest;
    }

    /** A tenant id no earlier run used (the registry topic and the database outlive a test run). */
    private static String uniqueTenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    /** What release-service announces on the registry (DEFAULT's envelope, bare key), once this service read it. */
    private void define(String tenant, long version, Quotas quotas) {
        TestKafka.send(new TenantDefined(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, tenant,
                tenant.toLowerCase(), Instant.now(), version, quotas));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> quotaBook.version(tenant) == version);
    }

    /** {@code devices} devices of a new model and a release for them in {@code tenant}: {model, releaseId}. */
    private String[] fleetOf(String tenant, int devices) {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        send(tenant, Fleet.release(releaseId, "1.0.0", model));
        for (int i = 0; i < devices; i++) {
            send(tenant, new DeviceReport.DeviceRegistered(EventMeta.newId(), EventMeta.now(),
                    UpdraftEvent.SCHEMA_VERSION, model + "-" + i, tenant, Map.of(DeviceReport.MODEL, model,
                            DeviceReport.REVISION, "1")));
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> QuarkusTransaction.requiringNew().call(() -> Tenants.runAs(tenant,
                        () -> catalog.find(releaseId).isPresent())));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> as(tenant).queryParam("model", model).queryParam("size", 1).get("/api/v1/devices")
                        .then().extract().jsonPath().getInt("total") == devices);
        return new String[] { model, releaseId };
    }

    private Fleets fleets() {
        String model = Fleet.uniqueModel();
        String releaseId = UUID.randomUUID().toString();
        for (String tenant : List.of(ACME, GLOBEX)) {
            send(tenant, Fleet.release(releaseId, "1.0.0", model));
            for (String suffix : tenant.equals(ACME) ? List.of("-a", "-b") : List.of("-a", "-b", "-only-globex")) {
                send(tenant, new DeviceReport.DeviceRegistered(EventMeta.newId(), EventMeta.now(),
                        UpdraftEvent.SCHEMA_VERSION, model + suffix, tenant, Map.of(DeviceReport.MODEL, model,
                                DeviceReport.REVISION, "1", "site", tenant.toLowerCase())));
            }
        }
        Fleets fleets = new Fleets(model, releaseId);
        for (String tenant : List.of(ACME, GLOBEX)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> QuarkusTransaction.requiringNew().call(() -> Tenants.runAs(tenant,
                            () -> catalog.find(releaseId).isPresent())));
            String last = tenant.equals(ACME) ? fleets.b() : fleets.onlyGlobex();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> as(tenant).get("/api/v1/devices/" + last).statusCode() == 200
                            && as(tenant).get("/api/v1/devices/" + fleets.a()).statusCode() == 200);
        }
        return fleets;
    }

    private static Map<String, Object> body(Fleets fleets) {
        return Map.of("name", fleets.name(), "releaseId", fleets.releaseId(), "target", Map.of("model", fleets.model()));
    }

    private static String create(String tenant, Fleets fleets) {
        return as(tenant).body(body(fleets)).post("/api/v1/rollouts").then().statusCode(201).extract().path("id");
    }

    /** {@code tenant}'s view of another tenant's {@code id}: the 404 of an unknown id, word for word. */
    private static void notFoundLikeUnknown(String tenant, String method, String path, String id) {
        String unknown = "u" + UUID.randomUUID().toString().substring(1);
        Response foreign = request(as(tenant), method, path.formatted(id));
        Response none = request(as(tenant), method, path.formatted(unknown));
        foreign.then().statusCode(404).contentType(PROBLEM);
        none.then().statusCode(404).contentType(PROBLEM);
        assertThat(foreign.jsonPath().getString("title")).isEqualTo(none.jsonPath().getString("title"));
        assertThat(foreign.jsonPath().getString("detail"))
                .isEqualTo(none.jsonPath().getString("detail").replace(unknown, id));
    }

    private static Response request(RequestSpecification spec, String method, String path) {
        return method.equals("get") ? spec.get(path) : spec.body("{}").post(path);
    }

    private static RequestSpecification as(String tenant) {
        return given().auth().oauth2(UpdraftStackResource.tokens().mintForTenant(tenant, "op-" + tenant,
                Duration.ofMinutes(10), "operator")).contentType(ContentType.JSON);
    }

    /** What the gateway or release-service of {@code tenant} would publish: the JSON's tenant and a TENANT/key. */
    private static void send(String tenant, UpdraftEvent event) {
        TestKafka.send(event.topic(), TenantIds.recordKey(tenant, event.key()), EventJson.write(tenant, event));
    }
}
