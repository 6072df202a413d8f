package io.updraft.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.DeviceCommand;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventJson;
import io.updraft.events.EventMeta;
import io.updraft.events.TenantEvent;
import io.updraft.events.TenantIds;
import io.updraft.events.Topics;
import io.updraft.events.UpdraftEvent;
import io.updraft.gateway.domain.PollView;
import io.updraft.gateway.persistence.DeviceViewStore;
import io.updraft.gateway.service.DeviceRegistry;
import io.updraft.gateway.service.FirstContactQueue;
import io.updraft.support.tenant.TenantQuotaBook;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Two tenants served by one gateway (updraft.tenancy.mode=multi), ACME and GLOBEX, each with its own gateway token and
 * the SAME controllerIds: each tenant's device, actions, artifacts, records and management API are its own.
 */
@QuarkusTest
@TestProfile(MultiTenantDdiIT.TwoTenants.class)
class MultiTenantDdiIT extends GatewayTestBase {
    static final String ACME = "ACME";
    static final String GLOBEX = "GLOBEX";
    /** A third tenant whose device quota the quota tests set (ACME and GLOBEX stay unlimited: no record). */
    static final String UMBRELLA = "UMBRELLA";
    static final Map<String, String> GATEWAY_TOKENS = Map.of(ACME, "acme-gateway-token", GLOBEX,
            "globex-gateway-token", UMBRELLA, "umbrella-gateway-token");
    /** TenantDefined versions: above any this broker already holds for UMBRELLA from an earlier run. */
    private static final AtomicLong VERSIONS = new AtomicLong(System.currentTimeMillis());

    public static class TwoTenants implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("updraft.tenancy.mode", "multi",
                    "updraft.gateway.tenants.ACME.gateway-token", GATEWAY_TOKENS.get(ACME),
                    "updraft.gateway.tenants.GLOBEX.gateway-token", GATEWAY_TOKENS.get(GLOBEX),
                    "updraft.gateway.tenants.UMBRELLA.gateway-token", GATEWAY_TOKENS.get(UMBRELLA));
        }

        /** The broker and database this JVM already runs, not a second stack (see RunningStackResource). */
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RunningStackResource.class));
        }
    }

    @Inject
    EntityManager entityManager;
    @Inject
    TenantQuotaBook quotaBook;
    @Inject
    DeviceRegistry registry;
    @Inject
    DeviceViewStore store;

    private static String newId() {
        return "gw-" + UUID.randomUUID();
    }

    private static RequestSpecification as(String tenant) {
        return given().header("Authorization", "GatewayToken " + GATEWAY_TOKENS.get(tenant)).accept(ContentType.JSON);
    }

    private static String path(String tenant, String id) {
        return "/" + tenant + "/controller/v1/" + id;
    }

    /** An InstallRequested of {@code tenant} as the rollout-service's outbox writes it (field, key prefix). */
    private static DeviceCommand.InstallRequested install(String tenant, String id) {
        DeviceCommand.InstallRequested command = Commands.install(id, Commands.newActionId());
        TestKafka.send(Topics.DEVICE_COMMANDS, TenantIds.recordKey(tenant, id), EventJson.write(tenant, command));
        return command;
    }

    private static <T extends DeviceReport> List<T> reports(String tenant, String id, Class<T> type) {
        return TestKafka.values(Topics.DEVICE_REPORTS, TenantIds.recordKey(tenant, id)).stream()
                .filter(json -> tenant.equals(EventJson.tenantOf(json)))
                .map(json -> EventJson.read(json, DeviceReport.class))
                .filter(type::isInstance).map(type::cast).toList();
    }

    private static String token(String tenant, String... roles) {
        return UpdraftStackResource.tokens().mintForTenant(tenant, "op-" + tenant, Duration.ofMinutes(10), roles);
    }

    @Test
    void givenTheSameControllerIdInTwoTenants_whenBothPoll_thenTheyAreTwoDevicesEachRegisteredInItsTenant() {
        String id = newId();

        as(ACME).get(path(ACME, id)).then().statusCode(200);
        as(GLOBEX).get(path("globex", id)).then().statusCode(200); // the path's tenant in any case

        eventually().until(() -> reports(ACME, id, DeviceReport.DeviceRegistered.class).size() == 1
                && reports(GLOBEX, id, DeviceReport.DeviceRegistered.class).size() == 1);
        assertThat(reports(ACME, id, DeviceReport.DeviceRegistered.class).get(0).tenant()).isEqualTo(ACME);
        assertThat(reports(GLOBEX, id, DeviceReport.DeviceRegistered.class).get(0).tenant()).isEqualTo(GLOBEX);
        // nothing under the bare key (DEFAULT's) and the ce_tenant header names the tenant
        assertThat(TestKafka.values(Topics.DEVICE_REPORTS, id)).isEmpty();
        String acmeJson = TestKafka.values(Topics.DEVICE_REPORTS, ACME + "/" + id).get(0);
        assertThat(TestKafka.headersOf(Topics.DEVICE_REPORTS, acmeJson)).containsEntry("ce_tenant", ACME);
        assertThat(tenantsOf(id)).containsExactlyInAnyOrder(ACME, GLOBEX);
    }

    @Test
    void givenAnInstallForAcmesDevice_whenBothTenantsDevicesPoll_thenOnlyAcmesSeesAndRunsIt() {
        String id = newId();
        as(ACME).get(path(ACME, id)).then().statusCode(200);
        as(GLOBEX).get(path(GLOBEX, id)).then().statusCode(200);

        DeviceCommand.InstallRequested command = install(ACME, id);
        long actionId = command.actionId();
        long module = command.artifacts().get(0).artifactId();
        String file = command.artifacts().get(0).filename();

        eventually().until(() -> as(ACME).get(path(ACME, id)).jsonPath()
                .getString("_links.deploymentBase.href") != null);
        assertThat(as(GLOBEX).get(path(GLOBEX, id)).jsonPath().getString("_links.deploymentBase.href")).isNull();
        as(GLOBEX).get(path(GLOBEX, id) + "/deploymentBase/" + actionId).then().statusCode(404);
        as(GLOBEX).get(path(GLOBEX, id) + "/softwaremodules/" + module + "/artifacts").then().statusCode(404);
        as(GLOBEX).get(path(GLOBEX, id) + "/softwaremodules/" + module + "/artifacts/" + file).then()
                .statusCode(404);
        assertThat(feedback(GLOBEX, id, actionId)).isEqualTo(404);

        as(ACME).get(path(ACME, id) + "/deploymentBase/" + actionId).then().statusCode(200);
        as(ACME).get(path(ACME, id) + "/softwaremodules/" + module + "/artifacts").then().statusCode(200);
        as(ACME).get(path(ACME, id) + "/softwaremodules/" + module + "/artifacts/" + file).then().statusCode(200);
        // fetched from the artifact store with a link signed for ACME, where release-service finds ACME's artifact
        assertThat(FakeReleaseService.SIGNED_FOR.get(module)).containsOnly(ACME);
        assertThat(feedback(ACME, id, actionId)).isEqualTo(200);

        eventually().until(() -> reports(ACME, id, DeviceReport.ActionFinished.class).size() == 1);
        assertThat(reports(ACME, id, DeviceReport.ActionFinished.class).get(0).actionId()).isEqualTo(actionId);
        assertThat(reports(GLOBEX, id, DeviceReport.ActionFinished.class)).isEmpty();
        assertThat(TestKafka.values(Topics.DEVICE_REPORTS, id)).isEmpty();
    }

    @Test
    void givenOneTenantsGatewayToken_whenUsedOnAnotherTenantsPath_thenItIsRefused() {
        String id = newId();
        as(ACME).get(path(GLOBEX, id)).then().statusCode(401);
        as(GLOBEX).get(path(ACME, id)).then().statusCode(401);
        as(ACME).get(path("INITECH", id)).then().statusCode(404); // a tenant this gateway does not serve
        as(ACME).get(path("DEFAULT", id)).then().statusCode(404); // nor DEFAULT, in multi mode
        assertThat(tenantsOf(id)).isEmpty();
    }

    @Test
    void givenATargetTokenProvisionedInAcme_whenUsedOnGlobexsDeviceOfTheSameId_thenItIsRefused() {
        String id = newId();
        given().auth().oauth2(token(ACME, "operator")).contentType(ContentType.JSON)
                .body(Map.of("token", "acme-device-secret")).put("/api/v1/devices/" + id + "/token")
                .then().statusCode(204);
        as(GLOBEX).get(path(GLOBEX, id)).then().statusCode(200); // GLOBEX's gw-1 exists, with no TargetToken

        given().header("Authorization", "TargetToken acme-device-secret").get(path(ACME, id)).then().statusCode(200);
        given().header("Authorization", "TargetToken acme-device-secret").get(path(GLOBEX, id)).then()
                .statusCode(401);
    }

    @Test
    void givenTenantTokens_whenTheManagementApiIsAskedForAnotherTenantsDevice_thenItIs404() {
        String id = newId();
        as(ACME).get(path(ACME, id)).then().statusCode(200);
        long actionId = install(ACME, id).actionId();
        eventually().until(() -> as(ACME).get(path(ACME, id)).jsonPath()
                .getString("_links.deploymentBase.href") != null);

        given().auth().oauth2(token(ACME, "viewer")).get("/api/v1/devices/" + id).then().statusCode(200);
        given().auth().oauth2(token(GLOBEX, "viewer")).get("/api/v1/devices/" + id).then().statusCode(404);
        given().auth().oauth2(token(GLOBEX, "operator")).get("/api/v1/devices/" + id + "/auto-confirm").then()
                .statusCode(404);
        given().auth().oauth2(token(GLOBEX, "operator")).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/devices/" + id + "/actions/" + actionId + "/cancel").then().statusCode(404);
        given().auth().oauth2(token(GLOBEX, "operator")).post("/api/v1/devices/" + id + "/auto-confirm/activate")
                .then().statusCode(404);
        assertThat(tenantsOf(id)).containsExactly(ACME); // none of it made a GLOBEX device
        // and ACME's own action is untouched by GLOBEX's cancel
        assertThat(as(ACME).get(path(ACME, id)).jsonPath().getString("_links.deploymentBase.href")).isNotNull();
    }

    @Test
    void givenHostileTenantsInTheDdiPath_whenPolled_thenRefusedAndNothingIsCreated() {
        String id = newId();
        List<String> tenants = List.of("%2F", "ACME%2F..", "AC%00ME", "A".repeat(41), "..", "ACME%0D%0A", "%2E%2E");
        for (String tenant : tenants) {
            int status = as(ACME).urlEncodingEnabled(false).get("/" + tenant + "/controller/v1/" + id).statusCode();
            assertThat(status).as(tenant).isIn(400, 404);
        }
        assertThat(tenantsOf(id)).isEmpty();
    }

    // --- the device quota (ADR 0021 decision 5): UMBRELLA's maxDevices, from the tenants topic ---

    @Test
    void givenMoreConcurrentNewDevicesThanTheQuotaLeaves_whenTheyAllArrive_thenExactlyTheQuotaExistsAndTheRestAre409()
            throws Exception {
        String known = newId();
        as(UMBRELLA).get(path(UMBRELLA, known)).then().statusCode(200);
        long limit = deviceCount(UMBRELLA) + 6;
        try {
            setMaxDevices(UMBRELLA, limit);
            // at once, through every path that creates a device: first polls (the first-contact batches), the
            // management API's token provisioning and first-contact batches run directly, as other replicas' would
            List<String> polled = ids(16);
            List<String> provisioned = ids(4);
            List<List<String>> batches = List.of(ids(3), ids(3), ids(3));
            ExecutorService pool = Executors.newFixedThreadPool(24);
            try {
                CountDownLatch start = new CountDownLatch(1);
                Map<String, Future<Integer>> answers = new ConcurrentHashMap<>();
                for (String id : polled) {
                    answers.put(id, pool.submit(() -> {
                        start.await();
                        return checked409(as(UMBRELLA).get(path(UMBRELLA, id)));
                    }));
                }
                String operator = token(UMBRELLA, "operator");
                for (String id : provisioned) {
                    answers.put(id, pool.submit(() -> {
                        start.await();
                        return checked409(given().auth().oauth2(operator).contentType(ContentType.JSON)
                                .body(Map.of("token", "secret-" + id)).put("/api/v1/devices/" + id + "/token"));
                    }));
                }
                List<Future<Map<String, PollView>>> direct = new ArrayList<>();
                for (List<String> batch : batches) {
                    direct.add(pool.submit(() -> {
                        start.await();
                        return registry.registerAndLoad(batch.stream()
                                .map(id -> new FirstContactQueue.Visit(UMBRELLA, id, true)).toList());
                    }));
                }
                start.countDown();

                Set<String> admitted = new HashSet<>();
                Set<String> refused = new HashSet<>();
                for (var answer : answers.entrySet()) {
                    int status = answer.getValue().get(60, TimeUnit.SECONDS);
                    assertThat(status).as(answer.getKey()).isIn(200, 204, 409);
                    (status == 409 ? refused : admitted).add(answer.getKey());
                }
                for (Future<Map<String, PollView>> batch : direct) {
                    batch.get(60, TimeUnit.SECONDS).forEach((key, view) -> (view.refused() ? refused : admitted)
                            .add(key.substring(UMBRELLA.length() + 1)));
                }
                assertThat(admitted).hasSize(6);
                assertThat(refused).hasSize(16 + 4 + 9 - 6);
                assertThat(deviceCount(UMBRELLA)).isEqualTo(limit);
                assertThat(admitted).allSatisfy(id -> assertThat(tenantsOf(id)).containsExactly(UMBRELLA));
                assertThat(refused).allSatisfy(id -> assertThat(tenantsOf(id)).isEmpty());
                // nothing was told of a refused device: no DeviceRegistered for any
                eventually().until(() -> admitted.stream().filter(polled::contains)
                        .allMatch(id -> reports(UMBRELLA, id, DeviceReport.DeviceRegistered.class).size() == 1));
                assertThat(refused).allSatisfy(id -> assertThat(TestKafka.values(Topics.DEVICE_REPORTS,
                        TenantIds.recordKey(UMBRELLA, id))).isEmpty());
            } finally {
                pool.shutdownNow();
            }
        } finally {
            setMaxDevices(UMBRELLA, null);
        }
    }

    @Test
    void givenATenantAtItsQuota_whenKnownNewAndOtherTenantsDevicesArrive_thenOnlyItsNewOnesAreRefusedUntilRaised() {
        String known = newId();
        as(UMBRELLA).get(path(UMBRELLA, known)).then().statusCode(200);
        long count = deviceCount(UMBRELLA);
        try {
            setMaxDevices(UMBRELLA, count);
            String refused = newId();
            var answer = as(UMBRELLA).get(path(UMBRELLA, refused)).then().statusCode(409)
                    .contentType("application/problem+json").extract().jsonPath();
            assertThat(answer.getString("detail")).contains("maxDevices").contains(String.valueOf(count));
            // every other way a device comes to be is refused too, and creates nothing
            as(UMBRELLA).contentType(ContentType.JSON).body(Map.of("mode", "merge", "data", Map.of("a", "b")))
                    .put(path(UMBRELLA, refused) + "/configData").then().statusCode(409);
            as(UMBRELLA).contentType(ContentType.JSON).body(Map.of("version", "1.0.0"))
                    .put(path(UMBRELLA, refused) + "/installedBase").then().statusCode(409);
            as(UMBRELLA).contentType(ContentType.JSON).body("{}")
                    .post(path(UMBRELLA, refused) + "/confirmationBase/activateAutoConfirm").then().statusCode(409);
            given().auth().oauth2(token(UMBRELLA, "operator")).contentType(ContentType.JSON)
                    .body(Map.of("token", "umbrella-secret")).put("/api/v1/devices/" + refused + "/token").then()
                    .statusCode(409).contentType("application/problem+json");
            assertThat(tenantsOf(refused)).isEmpty();
            assertThat(deviceCount(UMBRELLA)).isEqualTo(count);

            // the known device keeps working, its nothing-new poll still answered from memory (no SQL, no count)
            eventually().until(() -> {
                long statements = store.statements();
                as(UMBRELLA).get(path(UMBRELLA, known)).then().statusCode(200);
                return store.statements() == statements;
            });
            long before = store.statements();
            as(UMBRELLA).get(path(UMBRELLA, known)).then().statusCode(200);
            assertThat(store.statements()).isEqualTo(before);
            as(UMBRELLA).contentType(ContentType.JSON).body(Map.of("mode", "merge", "data", Map.of("a", "b")))
                    .put(path(UMBRELLA, known) + "/configData").then().statusCode(200);
            // a quota lowered below what the tenant has removes nothing
            setMaxDevices(UMBRELLA, 0L);
            as(UMBRELLA).get(path(UMBRELLA, known)).then().statusCode(200);
            given().auth().oauth2(token(UMBRELLA, "operator")).contentType(ContentType.JSON)
                    .body(Map.of("token", "known-secret")).put("/api/v1/devices/" + known + "/token").then()
                    .statusCode(204);
            assertThat(deviceCount(UMBRELLA)).isEqualTo(count);

            // another tenant (no record: unlimited) is not held to UMBRELLA's quota
            String other = newId();
            as(ACME).get(path(ACME, other)).then().statusCode(200);
            assertThat(tenantsOf(other)).containsExactly(ACME);

            // raised: the refused device gets in at its next poll, registered once
            setMaxDevices(UMBRELLA, count + 1);
            as(UMBRELLA).get(path(UMBRELLA, refused)).then().statusCode(200);
            assertThat(tenantsOf(refused)).containsExactly(UMBRELLA);
            eventually().until(() -> reports(UMBRELLA, refused, DeviceReport.DeviceRegistered.class).size() == 1);
            as(UMBRELLA).get(path(UMBRELLA, newId())).then().statusCode(409);
        } finally {
            setMaxDevices(UMBRELLA, null);
        }
    }

    @Test
    void givenHostileRecordsOnTheTenantsTopic_whenRead_thenSkippedAndTheRecordsAfterThemApply() {
        long count = deviceCount(UMBRELLA);
        try {
            setMaxDevices(UMBRELLA, count);
            // each with a version above any real one: had the book taken it, no later record could replace it
            long version = Long.MAX_VALUE - 1;
            TestKafka.send(Topics.TENANTS, UMBRELLA, "{not json");
            TestKafka.send(Topics.TENANTS, UMBRELLA, null); // a tombstone
            String valid = EventJson.write(defined(UMBRELLA, version, null));
            String unsupported = valid.replace("\"schemaVersion\":" + UpdraftEvent.SCHEMA_VERSION,
                    "\"schemaVersion\":999");
            assertThat(unsupported).isNotEqualTo(valid);
            TestKafka.send(Topics.TENANTS, UMBRELLA, unsupported);
            String unknownType = valid.replace("\"type\":\"TenantDefined\"", "\"type\":\"TenantDeleted\"");
            assertThat(unknownType).isNotEqualTo(valid);
            TestKafka.send(Topics.TENANTS, UMBRELLA, unknownType);
            for (String hostile : List.of("UMB\u0000RELLA", "U".repeat(41), "../UMBRELLA", "UMBRELLA/X", "")) {
                // same key, so the same partition: read before the record that follows
                TestKafka.send(Topics.TENANTS, UMBRELLA, EventJson.write(defined(hostile, version, null)));
            }
            // none of them changed the book: UMBRELLA is still at its quota
            setMaxDevices(UMBRELLA, count); // read after the hostile records: they were all passed
            assertThat(quotaBook.quotas(UMBRELLA).maxDevices()).isEqualTo(count);
            as(UMBRELLA).get(path(UMBRELLA, newId())).then().statusCode(409);
            // hostile ids at a tenant at its quota are still refused as input (400/404), never a 409, nothing made
            String operator = token(UMBRELLA, "operator");
            for (String id : List.of("a%2Fb", "a%00b", "a".repeat(201), "..")) {
                int status = given().auth().oauth2(operator).contentType(ContentType.JSON).urlEncodingEnabled(false)
                        .body(Map.of("token", "hostile-secret")).put("/api/v1/devices/" + id + "/token").statusCode();
                assertThat(status).as(id).isIn(400, 404);
                assertThat(as(UMBRELLA).urlEncodingEnabled(false).get("/" + UMBRELLA + "/controller/v1/" + id)
                        .statusCode()).as(id).isIn(400, 404);
            }
            assertThat(deviceCount(UMBRELLA)).isEqualTo(count);
        } finally {
            setMaxDevices(UMBRELLA, null);
        }
    }

    private static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(newId());
        }
        return ids;
    }

    /** The status; a 409 must be the quota's problem document. */
    private static int checked409(io.restassured.response.Response response) {
        if (response.statusCode() == 409) {
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.jsonPath().getString("detail")).contains("maxDevices");
        }
        return response.statusCode();
    }

    private static TenantEvent.TenantDefined defined(String tenant, long version, Long maxDevices) {
        return new TenantEvent.TenantDefined(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, tenant,
                tenant, Instant.now(), version, new TenantEvent.Quotas(maxDevices, null, null, null));
    }

    /** Announces the tenant's device quota as release-service does, and waits until this gateway has read it. */
    private void setMaxDevices(String tenant, Long maxDevices) {
        long version = VERSIONS.incrementAndGet();
        TestKafka.send(Topics.TENANTS, tenant, EventJson.write(defined(tenant, version, maxDevices)));
        eventually().until(() -> quotaBook.version(tenant) == version);
        assertThat(quotaBook.quotas(tenant).maxDevices()).isEqualTo(maxDevices);
    }

    private long deviceCount(String tenant) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                .createNativeQuery("select count(*) from device where tenant_id = ?1")
                .setParameter(1, tenant).getSingleResult()).longValue());
    }

    private int feedback(String tenant, String id, long actionId) {
        return as(tenant).contentType(ContentType.JSON)
                .body(Map.of("id", actionId, "status", Map.of("execution", "closed",
                        "result", Map.of("finished", "success"))))
                .post(path(tenant, id) + "/deploymentBase/" + actionId + "/feedback").statusCode();
    }

    /** The tenants holding a device row with this controllerId. */
    private List<String> tenantsOf(String id) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery("select tenant_id from device where controller_id = ?1", String.class)
                .setParameter(1, id).getResultList());
    }
}
