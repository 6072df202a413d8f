package io.updraft.release.api;

import static io.restassured.RestAssured.given;
import static io.updraft.release.ReleaseFixtures.SIGNING_KEY;
import static io.updraft.release.ReleaseFixtures.metadata;
import static io.updraft.release.ReleaseFixtures.randomBytes;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.EventJson;
import io.updraft.events.Topics;
import io.updraft.release.ReleaseRows;
import io.updraft.release.service.ExpiredUploads;
import io.updraft.support.artifacts.ArtifactUrlSigner;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Two tenants in one installation ({@code updraft.tenancy.mode=multi}, ADR 0021): ACME and GLOBEX publish the same
 * name+version, each sees only its own, and every id of the other tenant is answered exactly as an unknown one.
 */
@QuarkusTest
@TestProfile(MultiTenantReleasesIT.MultiTenant.class)
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class MultiTenantReleasesIT {
    private static final String ALL_ROLES = "publisher";

    public static class MultiTenant implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("updraft.tenancy.mode", "multi");
        }
    }

    @Inject
    DataSource dataSource;
    @Inject
    ExpiredUploads expiredUploads;

    private final ArtifactUrlSigner gateway = new ArtifactUrlSigner(SIGNING_KEY);

    @Test
    void givenTheSameNameAndVersionInTwoTenants_whenEachLists_thenEachSeesOnlyItsOwn() {
        String name = uniqueName();
        byte[] bytes = randomBytes(1_000);
        String acme = publish(tenant("ACME"), name, "1.0.0", bytes).statusCode(201).extract().path("id");
        String globex = publish(tenant("globex"), name, "1.0.0", bytes).statusCode(201).extract().path("id");
        assertThat(acme).isNotEqualTo(globex);

        assertThat(given().auth().oauth2(tenant("ACME")).queryParam("name", name).get("/api/v1/releases")
                .then().statusCode(200).extract().jsonPath().getList("id", String.class)).containsExactly(acme);
        assertThat(given().auth().oauth2(tenant("GLOBEX")).queryParam("name", name).queryParam("order", "version")
                .get("/api/v1/releases").then().statusCode(200).extract().jsonPath().getList("id", String.class))
                .containsExactly(globex);
        given().auth().oauth2(tenant("ACME")).get("/api/v1/releases/" + acme).then().statusCode(200)
                .body("id", equalTo(acme));
        // the identical re-publish is settled within the tenant: 200 with ACME's own release
        publish(tenant("ACME"), name, "1.0.0", bytes).statusCode(200).body("id", equalTo(acme));
    }

    @Test
    void givenAnotherTenantsRelease_whenAnyEndpointNamesIt_thenItIs404AsAnUnknownOne() throws Exception {
        String name = uniqueName();
        String acme = publish(tenant("ACME"), name, "1.0.0").statusCode(201).extract().path("id");
        String unknown = UUID.randomUUID().toString();
        String globex = tenant("GLOBEX");

        for (String action : List.of("", "/publish", "/promote", "/revoke")) {
            Response other = action.isEmpty() ? given().auth().oauth2(globex).get("/api/v1/releases/" + acme)
                    : given().auth().oauth2(globex).post("/api/v1/releases/" + acme + action);
            Response none = action.isEmpty() ? given().auth().oauth2(globex).get("/api/v1/releases/" + unknown)
                    : given().auth().oauth2(globex).post("/api/v1/releases/" + unknown + action);
            assertThat(other.statusCode()).as(action).isEqualTo(404);
            assertThat(other.contentType()).as(action).startsWith("application/problem+json");
            assertThat(other.asString().replace(acme, "ID")).as("nothing tells another tenant's id from an unknown one")
                    .isEqualTo(none.asString().replace(unknown, "ID"));
        }
        // nothing moved: ACME's release is still PUBLISHED, and no event but its ReleasePublished was written
        given().auth().oauth2(tenant("ACME")).get("/api/v1/releases/" + acme).then().body("state", equalTo("PUBLISHED"));
        // (the outbox first, then the topic: an event relayed in between is found on the topic)
        long inOutbox = count("select count(*) from outbox where strpos(payload::text, ?) > 0"
                + " and event_type <> 'ReleasePublished'", acme);
        long onTopic = TestKafka.recordsMentioning(Topics.RELEASES, acme).stream()
                .filter(r -> !"io.updraft.ReleasePublished".equals(TestKafka.header(r, "ce_type"))).count();
        assertThat(inOutbox + onTopic).isZero();
    }

    @Test
    void givenSignedLinks_whenPointedAtAnotherTenant_thenTheyFail() {
        byte[] bytes = randomBytes(2_000);
        String acme = publish(tenant("ACME"), uniqueName(), "1.0.0", bytes).statusCode(201).extract().path("id");
        long artifactId = given().auth().oauth2(tenant("ACME")).get("/api/v1/releases/" + acme).then()
                .extract().jsonPath().getLong("artifacts[0].id");

        String link = gateway.sign("ACME", artifactId, Duration.ofMinutes(5));
        assertThat(given().get("/internal/v1/artifacts/" + artifactId + "?" + link).then().statusCode(200)
                .extract().asByteArray()).isEqualTo(bytes);
        // another tenant's valid link naming ACME's artifact: 404, as an unknown artifact
        String globexLink = gateway.sign("GLOBEX", artifactId, Duration.ofMinutes(5));
        given().get("/internal/v1/artifacts/" + artifactId + "?" + globexLink).then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/internal/v1/artifacts/" + Long.MAX_VALUE + "?" + gateway.sign("GLOBEX", Long.MAX_VALUE,
                Duration.ofMinutes(5))).then().statusCode(404);
        // DEFAULT's link (no tenant) naming ACME's artifact: 404
        given().get("/internal/v1/artifacts/" + artifactId + "?" + gateway.sign(artifactId, Duration.ofMinutes(5)))
                .then().statusCode(404);
        // ACME's link re-pointed to GLOBEX, or with the tenant dropped: the signature no longer holds
        given().get("/internal/v1/artifacts/" + artifactId + "?" + link.replace("tenant=ACME", "tenant=GLOBEX"))
                .then().statusCode(403);
        given().get("/internal/v1/artifacts/" + artifactId + "?" + link.replace("tenant=ACME&", ""))
                .then().statusCode(403);
        // DEFAULT's link of the same artifact with ACME's name added: not ACME's signature
        given().get("/internal/v1/artifacts/" + artifactId + "?tenant=ACME&" + gateway.sign(artifactId,
                Duration.ofMinutes(5))).then().statusCode(403);
        for (String hostile : List.of("a%2Fb", "ACME%00", "x".repeat(41), "%0D%0AACME")) {
            given().urlEncodingEnabled(false)
                    .get("/internal/v1/artifacts/" + artifactId + "?" + link.replace("tenant=ACME", "tenant=" + hostile))
                    .then().statusCode(org.hamcrest.Matchers.oneOf(400, 403))
                    .contentType("application/problem+json");
        }
    }

    @Test
    void givenAnUploadOfAcme_whenGlobexUsesItsIdOrItsUrlIsRepointed_thenItIsUnknown() throws Exception {
        byte[] image = randomBytes(3_000);
        JsonPath ticket = announce(tenant("ACME"));
        String uploadId = ticket.getString("uploadId");
        String url = ticket.getString("uploadUrl");
        assertThat(url).contains("tenant=ACME");

        given().contentType("application/octet-stream").body(image).put(url.replace("tenant=ACME", "tenant=GLOBEX"))
                .then().statusCode(404).contentType("application/problem+json");
        given().contentType("application/octet-stream").body(image).put(url.replace("&tenant=ACME", ""))
                .then().statusCode(404);
        given().auth().oauth2(tenant("GLOBEX")).get("/api/v1/uploads/" + uploadId).then().statusCode(404);
        given().contentType("application/octet-stream").body(image).put(url).then().statusCode(200)
                .body("state", equalTo("RECEIVED"));
        given().auth().oauth2(tenant("ACME")).get("/api/v1/uploads/" + uploadId).then().statusCode(200);

        // GLOBEX referencing ACME's upload: the answer to an unknown upload (422), and nothing is created
        String name = uniqueName();
        given().auth().oauth2(tenant("GLOBEX")).multiPart("metadata", metadata(name, "1.0.0"))
                .multiPart("artifacts", "[{\"uploadId\":\"" + uploadId + "\"}]")
                .post("/api/v1/releases").then().statusCode(422).body("detail", equalTo(
                        "no upload " + uploadId + " (unknown, or expired and removed)"));
        assertThat(new ReleaseRows(dataSource).releasesNamed(name)).isZero();
        given().auth().oauth2(tenant("ACME")).multiPart("metadata", metadata(name, "1.0.0"))
                .multiPart("artifacts", "[{\"uploadId\":\"" + uploadId + "\"}]")
                .post("/api/v1/releases").then().statusCode(201);
        assertThat(tenantOf("releases", "name", name)).isEqualTo("ACME");
    }

    @Test
    void givenExpiredUploadsInTwoTenants_whenTheSweepRuns_thenEachIsRemovedAsItsTenant() throws Exception {
        String acme = announce(tenant("ACME")).getString("uploadId");
        String globex = announce(tenant("GLOBEX")).getString("uploadId");
        expire(acme);
        expire(globex);

        assertThat(expiredUploads.removeBatch(Instant.now())).isGreaterThanOrEqualTo(2);

        ReleaseRows rows = new ReleaseRows(dataSource);
        assertThat(rows.uploadsWithId(acme)).isZero();
        assertThat(rows.uploadsWithId(globex)).isZero();
    }

    @Test
    void givenEventsOfTwoTenants_whenRelayed_thenEachRecordCarriesItsTenant() {
        String name = uniqueName();
        String acme = publish(tenant("ACME"), name, "1.0.0").statusCode(201).extract().path("id");
        String globex = publish(tenant("GLOBEX"), name, "1.0.0").statusCode(201).extract().path("id");
        given().auth().oauth2(tenant("GLOBEX")).contentType(ContentType.JSON).body("{\"reason\":\"bad\"}")
                .post("/api/v1/releases/" + globex + "/revoke").then().statusCode(200);

        List<ConsumerRecord<String, String>> acmeRecords = await().atMost(Duration.ofSeconds(30))
                .until(() -> TestKafka.recordsWithKey(Topics.RELEASES, "ACME/" + acme), r -> r.size() == 1);
        assertThat(EventJson.tenantOf(acmeRecords.get(0).value())).isEqualTo("ACME");
        assertThat(acmeRecords.get(0).value()).startsWith("{\"tenant\":\"ACME\"");
        assertThat(TestKafka.header(acmeRecords.get(0), "ce_tenant")).isEqualTo("ACME");
        assertThat(TestKafka.header(acmeRecords.get(0), "ce_subject")).isEqualTo(acme);

        List<ConsumerRecord<String, String>> globexRecords = await().atMost(Duration.ofSeconds(30))
                .until(() -> TestKafka.recordsWithKey(Topics.RELEASES, "GLOBEX/" + globex), r -> r.size() == 2);
        assertThat(globexRecords).allSatisfy(r -> {
            assertThat(EventJson.tenantOf(r.value())).isEqualTo("GLOBEX");
            assertThat(TestKafka.header(r, "ce_tenant")).isEqualTo("GLOBEX");
        });
        assertThat(TestKafka.header(globexRecords.get(1), "ce_type")).contains("ReleaseRevoked");
        assertThat(TestKafka.recordsWithKey(Topics.RELEASES, acme)).as("no record without its tenant").isEmpty();
    }

    @Test
    void givenHostileTenantClaims_whenCallingTheApi_then401AndNothingIsCreated() throws Exception {
        var tokens = UpdraftStackResource.tokens();
        List<String> hostile = List.of(
                tokens.mintForTenant("a/b", "ci", Duration.ofMinutes(5), ALL_ROLES),
                tokens.mintForTenant("%2F", "ci", Duration.ofMinutes(5), ALL_ROLES),
                tokens.mintWithClaim("\"tenant\":\"ACME\\u0000\"", "ci", Duration.ofMinutes(5), ALL_ROLES),
                tokens.mintForTenant("A".repeat(41), "ci", Duration.ofMinutes(5), ALL_ROLES),
                tokens.mintForTenant("", "ci", Duration.ofMinutes(5), ALL_ROLES),
                tokens.mintWithClaim("\"tenant\":42", "ci", Duration.ofMinutes(5), ALL_ROLES),
                tokens.mintWithClaim("\"tenant\":{\"id\":\"ACME\"}", "ci", Duration.ofMinutes(5), ALL_ROLES),
                tokens.mintWithClaim("\"tenant\":[\"ACME\"]", "ci", Duration.ofMinutes(5), ALL_ROLES));
        String name = uniqueName();
        for (String token : hostile) {
            publish(token, name, "1.0.0").statusCode(401).contentType("application/problem+json");
            given().auth().oauth2(token).get("/api/v1/releases").then().statusCode(401);
            given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"" + name + ".swu\"}")
                    .post("/api/v1/uploads").then().statusCode(401);
        }
        ReleaseRows rows = new ReleaseRows(dataSource);
        assertThat(rows.releasesNamed(name)).isZero();
        assertThat(rows.outboxRowsMentioning(name)).isZero();
        assertThat(count("select count(*) from uploads where filename = ?", name + ".swu")).isZero();
    }

    @Test
    void givenATokenWithoutATenant_whenCallingTheApiInMultiMode_then403AndNothingIsCreated() throws Exception {
        String token = UpdraftStackResource.tokens().mint("ci", Duration.ofMinutes(5), "publisher", "viewer");
        String name = uniqueName();
        String acme = publish(tenant("ACME"), uniqueName(), "1.0.0").statusCode(201).extract().path("id");

        publish(token, name, "1.0.0").statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(token).get("/api/v1/releases").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(token).get("/api/v1/releases/" + acme).then().statusCode(403);
        given().auth().oauth2(token).post("/api/v1/releases/" + acme + "/revoke").then().statusCode(403);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"" + name + ".swu\"}")
                .post("/api/v1/uploads").then().statusCode(403);
        assertThat(new ReleaseRows(dataSource).releasesNamed(name)).isZero();
        assertThat(count("select count(*) from uploads where filename = ?", name + ".swu")).isZero();
        given().auth().oauth2(tenant("ACME")).get("/api/v1/releases/" + acme).then().body("state",
                equalTo("PUBLISHED"));
    }

    private static String tenant(String tenant) {
        return UpdraftStackResource.tokens().mintForTenant(tenant, "ci-" + tenant, Duration.ofMinutes(10),
                "publisher", "operator", "viewer");
    }

    private static io.restassured.response.ValidatableResponse publish(String token, String name, String version) {
        return publish(token, name, version, randomBytes(1_000));
    }

    private static io.restassured.response.ValidatableResponse publish(String token, String name, String version,
            byte[] bytes) {
        return given().auth().oauth2(token).multiPart("metadata", metadata(name, version))
                .multiPart("file", "fw.swu", bytes, "application/octet-stream")
                .post("/api/v1/releases").then();
    }

    private static JsonPath announce(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"fw.swu\"}")
                .post("/api/v1/uploads").then().statusCode(201).extract().jsonPath();
    }

    private void expire(String uploadId) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection
                .prepareStatement("update uploads set expires_at = now() - interval '1 second' where id = ?")) {
            update.setString(1, uploadId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private String tenantOf(String table, String column, String value) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection
                .prepareStatement("select tenant_id from " + table + " where " + column + " = ?")) {
            select.setString(1, value);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }

    private long count(String sql, String value) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection
                .prepareStatement(sql)) {
            select.setString(1, value);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
