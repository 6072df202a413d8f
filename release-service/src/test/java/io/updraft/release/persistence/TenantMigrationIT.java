package io.updraft.release.persistence;

import static io.restassured.RestAssured.given;
import static io.updraft.release.ReleaseFixtures.SIGNING_KEY;
import static io.updraft.release.ReleaseFixtures.randomBytes;
import static io.updraft.release.ReleaseFixtures.token;
import static io.updraft.release.persistence.DatabaseBeforeTenants.ARTIFACT_ID;
import static io.updraft.release.persistence.DatabaseBeforeTenants.BYTES;
import static io.updraft.release.persistence.DatabaseBeforeTenants.DRAFT_ID;
import static io.updraft.release.persistence.DatabaseBeforeTenants.NAME;
import static io.updraft.release.persistence.DatabaseBeforeTenants.RELEASE_ID;
import static io.updraft.release.persistence.DatabaseBeforeTenants.SHA256;
import static io.updraft.release.persistence.DatabaseBeforeTenants.UPLOAD_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.support.artifacts.ArtifactUrlSigner;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * An installation upgraded in place (ADR 0021): a database filled by the service before tenants (Flyway target 6,
 * {@link DatabaseBeforeTenants}) is migrated by this version at start. Every row is kept and DEFAULT's, no tenant
 * column keeps a default, and the service reads and serves what was there. The tenant registry (V9) starts with
 * DEFAULT, unlimited.
 */
@QuarkusTest
@TestProfile(TenantMigrationIT.BeforeTenants.class)
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class TenantMigrationIT {
    private static final List<String> TABLES = List.of("releases", "release_hardware", "release_label", "artifacts",
            "uploads", "zchunk_indexes", "zchunk_chunks");

    public static class BeforeTenants implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseBeforeTenants.class));
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void givenRowsWrittenBeforeTenants_whenMigrated_thenEveryRowIsKeptAndDefaults() throws Exception {
        assertThat(query("select current_database()")).isEqualTo(DatabaseBeforeTenants.DATABASE);
        assertThat(query("select max(version::int) from flyway_schema_history where success")).isEqualTo("9");
        // the rows written before (another test here adds DEFAULT rows of its own)
        assertThat(List.of(count("releases where id in ('" + RELEASE_ID + "', '" + DRAFT_ID + "')"),
                count("release_hardware where release_id = '" + RELEASE_ID + "'"),
                count("release_label where release_id = '" + RELEASE_ID + "'"),
                count("artifacts where id = " + ARTIFACT_ID), count("uploads where id = '" + UPLOAD_ID + "'"),
                count("zchunk_indexes"), count("zchunk_chunks")))
                .containsExactly(2L, 2L, 1L, 1L, 1L, 1L, 1L);
        for (String table : TABLES) {
            assertThat(query("select count(*) from " + table + " where tenant_id <> 'DEFAULT'")).as(table)
                    .isEqualTo("0");
            assertThat(query("select coalesce(column_default, 'none') from information_schema.columns"
                    + " where table_name = '" + table + "' and column_name = 'tenant_id'"))
                    .as(table + ": no default, so no new row can miss its tenant").isEqualTo("none");
        }
    }

    @Test
    void givenAnInstallationBeforeTheRegistry_whenMigrated_thenDefaultIsItsOneTenantWithoutQuotas() throws Exception {
        assertThat(query("select string_agg(id || ':' || version || ':' || coalesce(max_devices::text, '-') || ':'"
                + " || coalesce(max_artifact_bytes::text, '-') || ':' || coalesce(max_rollouts_in_flight::text, '-')"
                + " || ':' || coalesce(max_commands_per_second::text, '-'), ',') from tenant"))
                .isEqualTo("DEFAULT:1:-:-:-:-");
    }

    @Test
    void givenMigratedRows_whenReadThroughTheApi_thenTheyAreServedAsBefore() {
        given().auth().oauth2(token("viewer")).get("/api/v1/releases/" + RELEASE_ID).then().statusCode(200)
                .body("name", equalTo(NAME)).body("state", equalTo("PUBLISHED"))
                .body("hardware.model", contains("gw-100", "gw-200"))
                .body("labels.'git.sha'", equalTo("abc123"))
                .body("artifacts[0].sha256", equalTo(SHA256));
        given().auth().oauth2(token("viewer")).queryParam("name", NAME).get("/api/v1/releases").then()
                .statusCode(200).body("id", hasItems(DRAFT_ID, RELEASE_ID));
        given().auth().oauth2(token("publisher")).get("/api/v1/uploads/" + UPLOAD_ID).then().statusCode(200)
                .body("state", equalTo("CREATED"));
        String link = new ArtifactUrlSigner(SIGNING_KEY).sign(ARTIFACT_ID, Duration.ofMinutes(5));
        assertThat(given().get("/internal/v1/artifacts/" + ARTIFACT_ID + "?" + link).then().statusCode(200)
                .extract().asByteArray()).isEqualTo(BYTES);
    }

    @Test
    void givenMigratedRows_whenChangedAndPublishedTo_thenTheKeysHoldPerTenant() throws Exception {
        given().auth().oauth2(token("publisher")).post("/api/v1/releases/" + DRAFT_ID + "/publish").then()
                .statusCode(200).body("state", equalTo("PUBLISHED"));
        // name+version is still unique within DEFAULT: another file under 1.0.0 is a conflict
        given().auth().oauth2(token("publisher"))
                .multiPart("metadata", "{\"name\":\"" + NAME + "\",\"version\":\"1.0.0\","
                        + "\"hardware\":[{\"model\":\"gw-100\",\"revision\":\"1.0\"}]}")
                .multiPart("file", "fw.swu", randomBytes(100), "application/octet-stream")
                .post("/api/v1/releases").then().statusCode(409);
        String id = given().auth().oauth2(token("publisher"))
                .multiPart("metadata", "{\"name\":\"" + NAME + "\",\"version\":\"2.0.0\",\"labels\":{\"a\":\"b\"},"
                        + "\"hardware\":[{\"model\":\"gw-100\",\"revision\":\"1.0\"}]}")
                .multiPart("file", "fw.swu", randomBytes(100), "application/octet-stream")
                .post("/api/v1/releases").then().statusCode(201).extract().path("id");
        // the new release's hardware and labels rows took their release's tenant
        assertThat(query("select count(*) from release_hardware where release_id = '" + id
                + "' and tenant_id = 'DEFAULT'")).isEqualTo("1");
        assertThat(query("select count(*) from release_label where release_id = '" + id
                + "' and tenant_id = 'DEFAULT'")).isEqualTo("1");
    }

    private long count(String table) throws Exception {
        return Long.parseLong(query("select count(*) from " + table));
    }

    private String query(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
