package io.updraft.release.api;

import static io.restassured.RestAssured.given;
import static io.updraft.release.ReleaseFixtures.token;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.updraft.devstack.testing.UpdraftStackResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: GET /api/v1/releases lists past any size. Newest first, each page's {@code Next-Cursor} header leads to
 * the next (the body stays the array it was); a cursor the API did not hand out is a 400 problem.
 */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class ReleasePagingIT {
    private static final String PROBLEM = "application/problem+json";
    private static final int RELEASES = 1_200;

    @Inject
    DataSource dataSource;

    @Test
    void givenMoreReleasesThanAPage_whenFollowingNextCursor_thenEveryReleaseComesOnceNewestFirst() throws Exception {
        String name = uniqueName();
        List<String> newestFirst = insert(name, RELEASES);

        List<String> listed = new ArrayList<>();
        int pages = 0;
        String cursor = null;
        do {
            var request = given().auth().oauth2(token("viewer")).queryParam("name", name).queryParam("limit", 500);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get("/api/v1/releases");
            assertThat(page.statusCode()).isEqualTo(200);
            listed.addAll(page.jsonPath().getList("id", String.class));
            cursor = page.header("Next-Cursor");
            pages++;
        } while (cursor != null);

        // three releases share each creation instant: the id breaks the tie, so none is skipped or repeated
        assertThat(listed).isEqualTo(newestFirst);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void givenExactlyOnePageOfReleases_whenListing_thenNoNextCursor() throws Exception {
        String name = uniqueName();
        insert(name, 5);

        Response page = given().auth().oauth2(token("viewer")).queryParam("name", name).queryParam("limit", 5)
                .get("/api/v1/releases");

        assertThat(page.jsonPath().getList("id")).hasSize(5);
        assertThat(page.header("Next-Cursor")).isNull();
    }

    @Test
    void givenACursorThisApiDidNotHandOut_whenListing_then400ProblemJsonNever500() {
        String badInstant = encode("r1:yesterday|5a0e2a43-4a55-4c0e-8f44-8c7a8d5a1b22");
        String badId = encode("r1:2026-12-05T10:00:00Z|a b");
        String noVersion = encode("2026-12-05T10:00:00Z|abc");
        for (String query : List.of("cursor=garbage!", "cursor=%00", "cursor=cjE6%00", "cursor=" + "A".repeat(401),
                "cursor=" + badInstant, "cursor=" + badId, "cursor=" + noVersion,
                "cursor=" + encode("r1:2026-12-05T10:00:00Z|abc") + "&order=version&name=x")) {
            Response answer = given().urlEncodingEnabled(false).auth().oauth2(token("viewer"))
                    .get("/api/v1/releases?" + query);
            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            assertThat(answer.contentType()).as(query).startsWith(PROBLEM);
        }
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code count} PUBLISHED releases of {@code name} written straight into the database; their ids newest first. */
    private List<String> insert(String name, int count) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into releases (tenant_id, id, name, version, state, created_at, state_changed_at)
                    select 'DEFAULT', gen_random_uuid()::text, ?, g || '.0.0', 'PUBLISHED',
                           timestamptz '2026-12-01T00:00:00Z' + (g / 3) * interval '1 second',
                           timestamptz '2026-12-01T00:00:00Z'
                    from generate_series(1, ?) g""")) {
                insert.setString(1, name);
                insert.setInt(2, count);
                insert.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "select id from releases where name = ? order by created_at desc, id desc")) {
                select.setString(1, name);
                List<String> ids = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
                return ids;
            }
        }
    }
}
