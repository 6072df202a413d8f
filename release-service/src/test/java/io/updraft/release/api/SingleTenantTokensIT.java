package io.updraft.release.api;

import static io.restassured.RestAssured.given;
import static io.updraft.release.ReleaseFixtures.metadata;
import static io.updraft.release.ReleaseFixtures.randomBytes;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.release.ReleaseRows;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The default single mode (ADR 0021): a token without a tenant claim, or naming DEFAULT in any case, works as before;
 * a token naming another tenant was issued for a tenant this installation does not serve (403 everywhere); a claim
 * that is not a tenant id fails authentication (401). A platform administrator manages tenants and reaches no release.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class SingleTenantTokensIT {
    private static final String[] ROLES = { "publisher", "operator", "viewer" };

    @Inject
    DataSource dataSource;

    @Test
    void givenATokenWithoutATenantOrNamingDefault_whenPublishingAndReading_thenItWorksAsBefore() {
        var tokens = UpdraftStackResource.tokens();
        for (String token : List.of(tokens.mint("ci", Duration.ofMinutes(5), ROLES),
                tokens.mintForTenant("default", "ci", Duration.ofMinutes(5), ROLES),
                tokens.mintForTenant("DeFaUlT", "ci", Duration.ofMinutes(5), ROLES))) {
            String id = publish(token, uniqueName()).statusCode(201).extract().path("id");
            given().auth().oauth2(token).get("/api/v1/releases/" + id).then().statusCode(200).body("id", equalTo(id));
            given().auth().oauth2(token).post("/api/v1/releases/" + id + "/promote").then().statusCode(200)
                    .body("state", equalTo("STABLE"));
            String upload = given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\":\"fw.swu\"}")
                    .post("/api/v1/uploads").then().statusCode(201).extract().path("uploadUrl");
            assertThat(upload).as("a DEFAULT upload URL is the one it always was").doesNotContain("tenant=");
        }
    }

    @Test
    void givenATokenOfAnotherTenant_whenCallingAnyProtectedEndpoint_then403AndNothingChanges() throws Exception {
        String owner = UpdraftStackResource.tokens().mint("ci", Duration.ofMinutes(5), ROLES);
        String id = publish(owner, uniqueName()).statusCode(201).extract().path("id");
        String uploadId = given().auth().oauth2(owner).contentType(ContentType.JSON).body("{\"name\":\"fw.swu\"}")
                .post("/api/v1/uploads").then().statusCode(201).extract().path("uploadId");
        String acme = UpdraftStackResource.tokens().mintForTenant("ACME", "ci", Duration.ofMinutes(5), ROLES);
        String name = uniqueName();

        for (var call : endpoints(id, uploadId, name).entrySet()) {
            Response answer = call.getValue().apply(given().auth().oauth2(acme));
            assertThat(answer.statusCode()).as(call.getKey()).isEqualTo(403);
            assertThat(answer.contentType()).as(call.getKey()).startsWith("application/problem+json");
        }
        assertThat(new ReleaseRows(dataSource).releasesNamed(name)).isZero();
        given().auth().oauth2(owner).get("/api/v1/releases/" + id).then().body("state", equalTo("PUBLISHED"));
    }

    @Test
    void givenAClaimThatIsNotATenantId_whenCallingAnyProtectedEndpoint_then401() throws Exception {
        var tokens = UpdraftStackResource.tokens();
        String owner = tokens.mint("ci", Duration.ofMinutes(5), ROLES);
        String id = publish(owner, uniqueName()).statusCode(201).extract().path("id");
        String name = uniqueName();
        for (String invalid : List.of(tokens.mintForTenant("a/b", "ci", Duration.ofMinutes(5), ROLES),
                tokens.mintForTenant("A".repeat(41), "ci", Duration.ofMinutes(5), ROLES),
                tokens.mintWithClaim("\"tenant\":7", "ci", Duration.ofMinutes(5), ROLES))) {
            for (var call : endpoints(id, "no-such-upload", name).entrySet()) {
                Response answer = call.getValue().apply(given().auth().oauth2(invalid));
                assertThat(answer.statusCode()).as(call.getKey()).isEqualTo(401);
            }
        }
        assertThat(new ReleaseRows(dataSource).releasesNamed(name)).isZero();
    }

    @Test
    void givenAPlatformAdmin_inSingleMode_thenItManagesTenantsAndReachesNoRelease() throws Exception {
        var tokens = UpdraftStackResource.tokens();
        String owner = tokens.mint("ci", Duration.ofMinutes(5), ROLES);
        String id = publish(owner, uniqueName()).statusCode(201).extract().path("id");
        String tenant = TenantRegistryIT.create(TenantRegistryIT.newTenantId(), null);
        given().auth().oauth2(tokens.platformAdmin()).get("/api/v1/tenants/" + tenant).then().statusCode(200);
        given().auth().oauth2(tokens.platformAdmin()).get("/api/v1/tenants/DEFAULT").then().statusCode(200)
                .body("quotas.maxArtifactBytes", equalTo(null));

        String name = uniqueName();
        for (var call : endpoints(id, "no-such-upload", name).entrySet()) {
            Response answer = call.getValue().apply(given().auth().oauth2(tokens.platformAdmin()));
            assertThat(answer.statusCode()).as(call.getKey()).isEqualTo(403);
            assertThat(answer.contentType()).as(call.getKey()).startsWith("application/problem+json");
        }
        // a platform administrator's token naming a tenant this installation does not serve keeps no role
        String foreign = tokens.mintForTenant("ACME", "admin", Duration.ofMinutes(5), "platform-admin");
        given().auth().oauth2(foreign).get("/api/v1/tenants").then().statusCode(403);
        assertThat(new ReleaseRows(dataSource).releasesNamed(name)).isZero();
        given().auth().oauth2(owner).get("/api/v1/releases/" + id).then().body("state", equalTo("PUBLISHED"));
    }

    /** Every protected endpoint of the service, by name. */
    private static Map<String, Function<RequestSpecification, Response>> endpoints(String releaseId,
            String uploadId, String name) {
        Map<String, Function<RequestSpecification, Response>> calls = new LinkedHashMap<>();
        calls.put("publish", r -> r.multiPart("metadata", metadata(name, "1.0.0"))
                .multiPart("file", "fw.swu", randomBytes(100), "application/octet-stream").post("/api/v1/releases"));
        calls.put("list", r -> r.get("/api/v1/releases"));
        calls.put("show", r -> r.get("/api/v1/releases/" + releaseId));
        calls.put("publish draft", r -> r.post("/api/v1/releases/" + releaseId + "/publish"));
        calls.put("promote", r -> r.post("/api/v1/releases/" + releaseId + "/promote"));
        calls.put("revoke", r -> r.post("/api/v1/releases/" + releaseId + "/revoke"));
        calls.put("announce upload", r -> r.contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .post("/api/v1/uploads"));
        calls.put("show upload", r -> r.get("/api/v1/uploads/" + uploadId));
        return calls;
    }

    private static io.restassured.response.ValidatableResponse publish(String token, String name) {
        return given().auth().oauth2(token).multiPart("metadata", metadata(name, "1.0.0"))
                .multiPart("file", "fw.swu", randomBytes(1_000), "application/octet-stream")
                .post("/api/v1/releases").then();
    }
}
