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
import io.updraft.events.TenantIds;
import io.updraft.events.Topics;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    static final Map<String, String> GATEWAY_TOKENS = Map.of(ACME, "acme-gateway-token", GLOBEX,
            "globex-gateway-token");

    public static class TwoTenants implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("updraft.tenancy.mode", "multi",
                    "updraft.gateway.tenants.ACME.gateway-token", GATEWAY_TOKENS.get(ACME),
                    "updraft.gateway.tenants.GLOBEX.gateway-token", GATEWAY_TOKENS.get(GLOBEX));
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
