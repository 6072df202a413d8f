package io.updraft.release.api;

import static io.restassured.RestAssured.given;
import static io.updraft.release.ReleaseFixtures.metadata;
import static io.updraft.release.ReleaseFixtures.randomBytes;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.EventJson;
import io.updraft.events.TenantEvent;
import io.updraft.events.TenantEvent.TenantDefined;
import io.updraft.events.Topics;
import io.updraft.release.ReleaseRows;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The tenant registry (ADR 0021 decisions 1 and 5): only a platform administrator creates, lists and reads tenants and
 * sets their quotas; each creation and change is a TenantDefined on the compacted tenants topic, keyed by the tenant's
 * id; hostile input is a 4xx problem that changes nothing; a platform administrator's token reaches no tenant's data.
 */
@QuarkusTest
@TestProfile(MultiTenantReleasesIT.MultiTenant.class)
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class TenantRegistryIT {
    @Inject
    DataSource dataSource;

    @Test
    void givenAPlatformAdmin_whenCreatingATenant_then201AndItIsReadableAndAnnounced() throws Exception {
        String id = newTenantId();
        Response created = admin().contentType(ContentType.JSON)
                .body("{\"id\":\"" + id.toLowerCase(Locale.ROOT) + "\",\"displayName\":\"Acme Corp.\","
                        + "\"quotas\":{\"maxDevices\":1000,\"maxArtifactBytes\":5000000}}")
                .post("/api/v1/tenants");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/tenants/" + id);
        created.then().body("id", equalTo(id)).body("displayName", equalTo("Acme Corp.")).body("version", equalTo(1))
                .body("quotas.maxDevices", equalTo(1000)).body("quotas.maxArtifactBytes", equalTo(5000000))
                .body("quotas.maxRolloutsInFlight", nullValue()).body("quotas.maxCommandsPerSecond", nullValue());

        admin().get(created.header("Location")).then().statusCode(200).body("id", equalTo(id))
                .body("createdAt", equalTo(created.path("createdAt")));
        admin().get("/api/v1/tenants/" + id.toLowerCase(Locale.ROOT)).then().statusCode(200).body("id", equalTo(id));

        List<TenantDefined> defined = definitions(id, 1);
        TenantDefined first = defined.get(0);
        assertThat(first.tenantId()).isEqualTo(id);
        assertThat(first.displayName()).isEqualTo("Acme Corp.");
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.quotas()).isEqualTo(new TenantEvent.Quotas(1000L, 5_000_000L, null, null));
        ConsumerRecord<String, String> record = TestKafka.recordsWithKey(Topics.TENANTS, id).get(0);
        assertThat(record.value()).as("a platform record: no tenant envelope").doesNotContain("\"tenant\"");
        assertThat(TestKafka.header(record, "ce_type")).isEqualTo("io.updraft.TenantDefined");
        assertThat(cleanupPolicyOf(Topics.TENANTS)).as("dev-stack creates the registry's topic compacted")
                .isEqualTo("compact");
    }

    private static String cleanupPolicyOf(String topic) throws Exception {
        java.util.Properties props = new java.util.Properties();
        props.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                io.updraft.devstack.DevStack.shared().kafkaBootstrap());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .get(resource).get("cleanup.policy").value();
        }
    }

    @Test
    void givenATenant_whenItsQuotasAreReplacedAndPatched_thenEachChangeIsANewVersionOnTheTopic() {
        String id = create(newTenantId(), "{\"maxDevices\":10}");

        admin().contentType(ContentType.JSON).body("{\"maxArtifactBytes\":2000,\"maxRolloutsInFlight\":3}")
                .put("/api/v1/tenants/" + id + "/quotas").then().statusCode(200).body("version", equalTo(2))
                .body("quotas.maxDevices", nullValue()).body("quotas.maxArtifactBytes", equalTo(2000))
                .body("quotas.maxRolloutsInFlight", equalTo(3));
        admin().contentType("application/merge-patch+json").body("{\"maxCommandsPerSecond\":50}")
                .patch("/api/v1/tenants/" + id + "/quotas").then().statusCode(200).body("version", equalTo(3))
                .body("quotas.maxArtifactBytes", equalTo(2000)).body("quotas.maxCommandsPerSecond", equalTo(50));
        // the same again: 200, the version it had, nothing announced
        admin().contentType(ContentType.JSON).body("{\"maxCommandsPerSecond\":50}")
                .patch("/api/v1/tenants/" + id + "/quotas").then().statusCode(200).body("version", equalTo(3));
        // null: unlimited again
        admin().contentType(ContentType.JSON).body("{\"maxArtifactBytes\":null}")
                .patch("/api/v1/tenants/" + id + "/quotas").then().statusCode(200).body("version", equalTo(4))
                .body("quotas.maxArtifactBytes", nullValue()).body("quotas.maxRolloutsInFlight", equalTo(3));

        List<TenantDefined> defined = definitions(id, 4);
        assertThat(defined).extracting(TenantDefined::version).as("one record per change, in order")
                .containsExactly(1L, 2L, 3L, 4L);
        assertThat(defined.get(3).quotas()).isEqualTo(new TenantEvent.Quotas(null, null, 3, 50));
        admin().get("/api/v1/tenants/" + id).then().body("version", equalTo(4));
    }

    @Test
    void givenATenant_whenCreatedAgainInAnotherCase_then409AndNothingChanges() {
        String id = create(newTenantId(), "{\"maxDevices\":10}");
        for (String again : List.of(id, id.toLowerCase(Locale.ROOT))) {
            admin().contentType(ContentType.JSON).body("{\"id\":\"" + again + "\",\"displayName\":\"other\"}")
                    .post("/api/v1/tenants").then().statusCode(409).contentType("application/problem+json");
        }
        admin().get("/api/v1/tenants/" + id).then().body("displayName", equalTo(id)).body("version", equalTo(1))
                .body("quotas.maxDevices", equalTo(10));
        assertThat(definitions(id, 1)).hasSize(1);
    }

    @Test
    void givenHostileCreates_whenPosted_then4xxProblemAndNoTenant() throws Exception {
        String id = newTenantId();
        List<String> bodies = List.of(
                "{\"id\":\"a/b\"}", "{\"id\":\"a%2Fb\"}", "{\"id\":\"" + id + "\\u0000\"}", "{\"id\":\"" + "A".repeat(41) + "\"}",
                "{\"id\":\"\"}", "{\"id\":\"-" + id + "\"}", "{\"id\":42}", "{\"id\":null}", "{}", "[]", "\"" + id + "\"",
                "not json", "{\"id\":\"" + id + "\"} trailing",
                "{\"id\":\"" + id + "\",\"id\":\"" + id + "X\"}",
                "{\"id\":\"" + id + "\",\"tenant\":\"ACME\"}",
                "{\"id\":\"" + id + "\",\"quotas\":{\"maxDevices\":-1}}",
                "{\"id\":\"" + id + "\",\"quotas\":{\"maxArtifactBytes\":1.5}}",
                "{\"id\":\"" + id + "\",\"quotas\":{\"maxArtifactBytes\":\"10\"}}",
                "{\"id\":\"" + id + "\",\"quotas\":{\"maxRolloutsInFlight\":2147483648}}",
                "{\"id\":\"" + id + "\",\"quotas\":{\"maxDevices\":99999999999999999999}}",
                "{\"id\":\"" + id + "\",\"quotas\":{\"maxDisks\":1}}",
                "{\"id\":\"" + id + "\",\"quotas\":[1]}",
                "{\"id\":\"" + id + "\",\"displayName\":\"a\\nb\"}",
                "{\"id\":\"" + id + "\",\"displayName\":\"" + "x".repeat(201) + "\"}",
                "{\"id\":\"" + id + "\",\"displayName\":\" \"}",
                "{\"id\":\"" + id + "\",\"displayName\":\"" + "x".repeat(20_000) + "\"}");
        for (String body : bodies) {
            Response answer = admin().contentType(ContentType.JSON).body(body).post("/api/v1/tenants");
            assertThat(answer.statusCode()).as(body).isIn(400, 413);
            assertThat(answer.contentType()).as(body).startsWith("application/problem+json");
        }
        admin().get("/api/v1/tenants/" + id).then().statusCode(404).contentType("application/problem+json");
        assertThat(new ReleaseRows(dataSource).outboxRowsMentioning(id)).isZero();
        assertThat(TestKafka.recordsMentioning(Topics.TENANTS, id)).isEmpty();
    }

    @Test
    void givenATenant_whenHostileQuotaChangesAndIdsAreSent_then4xxProblemAndNothingChanges() {
        String id = create(newTenantId(), "{\"maxDevices\":10}");
        for (String body : List.of("{\"maxDevices\":-5}", "{\"maxDevices\":\"5\"}", "{\"maxDevices\":5.0}",
                "{\"maxDevices\":5,\"extra\":1}", "{\"maxCommandsPerSecond\":-1}", "[]", "", "null",
                "{\"maxDevices\":5,\"maxDevices\":6}")) {
            for (String method : List.of("PUT", "PATCH")) {
                Response answer = admin().contentType(ContentType.JSON).body(body)
                        .request(method, "/api/v1/tenants/" + id + "/quotas");
                assertThat(answer.statusCode()).as(method + " " + body).isEqualTo(400);
                assertThat(answer.contentType()).as(method + " " + body).startsWith("application/problem+json");
            }
        }
        for (String hostile : List.of("a%2Fb", id + "%00", "A".repeat(41), "%0D%0A" + id, "..%2F" + id, "%20")) {
            for (String method : List.of("GET", "PUT", "PATCH")) {
                RequestSpecification request = admin().urlEncodingEnabled(false).contentType(ContentType.JSON)
                        .body("{\"maxDevices\":1}");
                Response answer = request.request(method, "/api/v1/tenants/" + hostile
                        + (method.equals("GET") ? "" : "/quotas"));
                assertThat(answer.statusCode()).as(method + " " + hostile).isIn(400, 404);
                assertThat(answer.contentType()).as(method + " " + hostile).startsWith("application/problem+json");
            }
        }
        String unknown = newTenantId();
        admin().contentType(ContentType.JSON).body("{\"maxDevices\":1}").put("/api/v1/tenants/" + unknown + "/quotas")
                .then().statusCode(404).contentType("application/problem+json");
        admin().get("/api/v1/tenants/" + unknown).then().statusCode(404);
        admin().get("/api/v1/tenants/" + id).then().body("version", equalTo(1)).body("quotas.maxDevices", equalTo(10));
    }

    @Test
    void givenMoreTenantsThanAPage_whenListed_thenPagesFollowNextCursorInIdOrder() {
        String prefix = "P" + UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);
        List<String> mine = List.of(create(prefix + "-A", null), create(prefix + "-B", null), create(prefix + "-C", null));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = admin().queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get("/api/v1/tenants");
            assertThat(page.statusCode()).isEqualTo(200);
            List<String> ids = page.jsonPath().getList("id", String.class);
            assertThat(ids.size()).isBetween(1, 2);
            seen.addAll(ids);
            cursor = page.header(ReleaseResource.NEXT_CURSOR);
            assertThat(++pages).as("pages end").isLessThan(10_000);
        } while (cursor != null);
        assertThat(seen).containsAll(mine).contains("DEFAULT").doesNotHaveDuplicates()
                .isSortedAccordingTo(String::compareTo);

        for (String bad : List.of("x", "%00", "dDE6QUNNRQ==", "not-one-of-ours", "a".repeat(200))) {
            admin().urlEncodingEnabled(false).queryParam("cursor", bad).get("/api/v1/tenants").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        for (String limit : List.of("0", "501", "-1")) {
            admin().queryParam("limit", limit).get("/api/v1/tenants").then().statusCode(400)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void givenAnyOtherRole_whenCallingTheRegistry_then403_andWithoutAToken401() {
        String id = create(newTenantId(), null);
        var tokens = UpdraftStackResource.tokens();
        List<String> others = List.of(
                tokens.mintForTenant(id, "ci", Duration.ofMinutes(5), "publisher", "operator", "viewer"),
                tokens.mintForTenant("ACME", "ci", Duration.ofMinutes(5), "publisher", "operator", "viewer"),
                tokens.mint("ci", Duration.ofMinutes(5), "publisher", "operator", "viewer"));
        for (String token : others) {
            for (var call : registryCalls(id).entrySet()) {
                Response answer = call.getValue().apply(given().auth().oauth2(token));
                assertThat(answer.statusCode()).as(call.getKey()).isEqualTo(403);
                assertThat(answer.contentType()).as(call.getKey()).startsWith("application/problem+json");
            }
        }
        for (var call : registryCalls(id).entrySet()) {
            assertThat(call.getValue().apply(given()).statusCode()).as(call.getKey()).isEqualTo(401);
        }
        admin().get("/api/v1/tenants/" + id).then().body("version", equalTo(1)).body("displayName", equalTo(id));
        assertThat(definitions(id, 1)).hasSize(1);
    }

    @Test
    void givenAPlatformAdmin_whenCallingTenantResources_then403ForEveryIdAlike() throws Exception {
        String acme = UpdraftStackResource.tokens().mintForTenant("ACME", "ci", Duration.ofMinutes(5), "publisher",
                "viewer");
        String name = uniqueName();
        String release = given().auth().oauth2(acme).multiPart("metadata", metadata(uniqueName(), "1.0.0"))
                .multiPart("file", "fw.swu", randomBytes(500), "application/octet-stream").post("/api/v1/releases")
                .then().statusCode(201).extract().path("id");
        String unknown = UUID.randomUUID().toString();

        Map<String, Function<RequestSpecification, Response>> calls = new LinkedHashMap<>();
        calls.put("list", r -> r.get("/api/v1/releases"));
        calls.put("publish", r -> r.multiPart("metadata", metadata(name, "1.0.0"))
                .multiPart("file", "fw.swu", randomBytes(100), "application/octet-stream").post("/api/v1/releases"));
        calls.put("announce", r -> r.contentType(ContentType.JSON).body("{\"name\":\"" + name + ".swu\"}")
                .post("/api/v1/uploads"));
        for (var call : calls.entrySet()) {
            Response answer = call.getValue().apply(admin());
            assertThat(answer.statusCode()).as(call.getKey()).isEqualTo(403);
            assertThat(answer.contentType()).as(call.getKey()).startsWith("application/problem+json");
        }
        for (String action : List.of("", "/publish", "/promote", "/revoke")) {
            Response existing = action.isEmpty() ? admin().get("/api/v1/releases/" + release)
                    : admin().post("/api/v1/releases/" + release + action);
            Response none = action.isEmpty() ? admin().get("/api/v1/releases/" + unknown)
                    : admin().post("/api/v1/releases/" + unknown + action);
            assertThat(existing.statusCode()).as(action).isEqualTo(403);
            assertThat(existing.asString().replace(release, "ID")).as("an existing id answers as an unknown one")
                    .isEqualTo(none.asString().replace(unknown, "ID"));
        }
        assertThat(new ReleaseRows(dataSource).releasesNamed(name)).isZero();
        given().auth().oauth2(acme).get("/api/v1/releases/" + release).then().body("state", equalTo("PUBLISHED"));
    }

    private static Map<String, Function<RequestSpecification, Response>> registryCalls(String id) {
        Map<String, Function<RequestSpecification, Response>> calls = new LinkedHashMap<>();
        calls.put("create", r -> r.contentType(ContentType.JSON).body("{\"id\":\"" + newTenantId() + "\"}")
                .post("/api/v1/tenants"));
        calls.put("list", r -> r.get("/api/v1/tenants"));
        calls.put("show", r -> r.get("/api/v1/tenants/" + id));
        calls.put("replace", r -> r.contentType(ContentType.JSON).body("{\"maxDevices\":1}")
                .put("/api/v1/tenants/" + id + "/quotas"));
        calls.put("patch", r -> r.contentType(ContentType.JSON).body("{\"maxDevices\":1}")
                .patch("/api/v1/tenants/" + id + "/quotas"));
        return calls;
    }

    static RequestSpecification admin() {
        return given().auth().oauth2(UpdraftStackResource.tokens().platformAdmin());
    }

    static String newTenantId() {
        return "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
    }

    /** Creates {@code id} with these quotas (a JSON object, or null: unlimited); answers its canonical id. */
    static String create(String id, String quotas) {
        return admin().contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\"" + (quotas == null ? "" : ",\"quotas\":" + quotas) + "}")
                .post("/api/v1/tenants").then().statusCode(201).extract().path("id");
    }

    /** The TenantDefined records of {@code id}, once there are {@code count} of them. */
    private static List<TenantDefined> definitions(String id, int count) {
        return await().atMost(Duration.ofSeconds(60))
                .until(() -> TestKafka.recordsWithKey(Topics.TENANTS, id), records -> records.size() >= count)
                .stream().map(r -> (TenantDefined) EventJson.read(r.value(), TenantEvent.class)).toList();
    }
}
