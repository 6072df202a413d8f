package io.updraft.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.updraft.devstack.testing.UpdraftStackResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/rollouts} pages newest first with a cursor, by name and by release too, past any size. */
@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class RolloutPagingIT {

    @Test
    void given_more_rollouts_than_a_page_when_paged_by_name_then_each_comes_once_newest_first() {
        String model = Fleet.uniqueModel();
        String releaseId = Api.releaseWithOneDevice(model);
        String name = "paged " + model;
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            created.add(0, Api.createRollout(Map.of("releaseId", releaseId, "name", name,
                    "target", Map.of("model", model))).then().statusCode(201).extract().path("id"));
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> query = new HashMap<>(Map.of("name", name, "limit", 10));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            Response page = Api.asViewer().queryParams(query).get("/api/v1/rollouts");
            page.then().statusCode(200);
            seen.addAll(page.jsonPath().getList("id"));
            cursor = page.header("Next-Cursor");
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(created); // every one once, newest first
        assertThat(Api.asViewer().queryParam("name", "no such name").get("/api/v1/rollouts").jsonPath()
                .getList("id")).isEmpty();
    }

    @Test
    void given_rollouts_of_two_releases_when_listed_by_release_then_exactly_one_releases_come_paged_newest_first() {
        String modelA = Fleet.uniqueModel();
        String modelB = Fleet.uniqueModel();
        String releaseA = Api.releaseWithOneDevice(modelA);
        String releaseB = Api.releaseWithOneDevice(modelB);
        String name = "by release " + modelA;
        List<String> ofA = new ArrayList<>();
        List<String> ofANamed = new ArrayList<>();
        List<String> ofB = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // interleaved, so a filter that ignored the release would mix them
            String a = Api.createRollout(Map.of("releaseId", releaseA, "name", i % 2 == 0 ? name : "other " + modelA,
                    "target", Map.of("model", modelA))).then().statusCode(201).extract().path("id");
            ofA.add(0, a);
            if (i % 2 == 0) {
                ofANamed.add(0, a);
            }
            ofB.add(0, Api.createRollout(Map.of("releaseId", releaseB, "name", name,
                    "target", Map.of("model", modelB))).then().statusCode(201).extract().path("id"));
        }

        assertThat(pagedIds(Map.of("releaseId", releaseA, "limit", 2), 3)).isEqualTo(ofA);
        assertThat(pagedIds(Map.of("releaseId", releaseB, "limit", 4), 2)).isEqualTo(ofB);
        assertThat(pagedIds(Map.of("releaseId", releaseA, "name", name, "limit", 2), 2)).isEqualTo(ofANamed);
        assertThat(pagedIds(Map.of("releaseId", releaseA, "limit", 1000), 1)).isEqualTo(ofA);
        assertThat(Api.asViewer().queryParam("releaseId", "no-such-release").get("/api/v1/rollouts").then()
                .statusCode(200).extract().jsonPath().getList("id")).isEmpty();
    }

    /** Every id of the pages a filter yields, following Next-Cursor; the number of pages it took is checked. */
    private static List<String> pagedIds(Map<String, Object> filter, int expectedPages) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> query = new HashMap<>(filter);
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            Response page = Api.asViewer().queryParams(query).get("/api/v1/rollouts");
            page.then().statusCode(200);
            seen.addAll(page.jsonPath().getList("id"));
            cursor = page.header("Next-Cursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).as("pages of %s", filter).isEqualTo(expectedPages);
        return seen;
    }

    @Test
    void given_a_hostile_release_id_when_listing_then_400_problem() {
        for (String encoded : List.of("a%2Fb", "a%00b", "x".repeat(65), "a%0Ab", "%2E%2E%2Fetc", "a%20b")) {
            Api.asViewer().urlEncodingEnabled(false).get("/api/v1/rollouts?releaseId=" + encoded).then()
                    .statusCode(400).contentType(containsString("application/problem+json"));
        }
    }

    @Test
    void given_hostile_paging_input_when_listing_then_400_problem() {
        for (String cursor : List.of("garbage!", "AAAA", "x".repeat(201), "bad\u0000", "MjAyNi0wMS0wMVQwMDowMDowMFp8Lw")) {
            Api.asViewer().queryParam("cursor", cursor).get("/api/v1/rollouts").then().statusCode(400)
                    .contentType(containsString("application/problem+json"));
        }
        Api.asViewer().queryParam("limit", 0).get("/api/v1/rollouts").then().statusCode(400);
        Api.asViewer().queryParam("limit", 1001).get("/api/v1/rollouts").then().statusCode(400);
        Api.asViewer().queryParam("name", "x".repeat(201)).get("/api/v1/rollouts").then().statusCode(400);
        Api.asViewer().queryParam("name", "a\u0000b").get("/api/v1/rollouts").then().statusCode(400);
    }
}
