package io.updraft.telemetry;

import static io.restassured.RestAssured.given;
import static io.updraft.telemetry.Fixtures.asViewer;
import static io.updraft.telemetry.Fixtures.newId;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.updraft.devstack.testing.UpdraftStackResource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "telemetry"))
class RestApiIT {

    @Test
    void given_no_token_when_reading_health_or_rollbacks_then_401() {
        given().get("/api/v1/rollouts/{id}/health", newId("rollout")).then().statusCode(401);
        given().get("/api/v1/rollbacks").then().statusCode(401);
    }

    @Test
    void given_a_token_without_a_management_role_when_reading_then_403() {
        String token = UpdraftStackResource.tokens().mint("stranger", Duration.ofMinutes(10), "device");
        given().auth().oauth2(token).get("/api/v1/rollbacks").then().statusCode(403);
    }

    @Test
    void given_an_operator_or_publisher_when_reading_then_allowed() {
        for (String role : new String[] { "operator", "publisher" }) {
            String token = UpdraftStackResource.tokens().mint(role, Duration.ofMinutes(10), role);
            given().auth().oauth2(token).get("/api/v1/rollbacks").then().statusCode(200);
        }
    }

    @Test
    void given_the_dashboard_when_loaded_then_the_page_is_public_and_its_data_needs_a_viewer_token() {
        given().get("/dashboard.html").then().statusCode(200).body(containsString("fleet health"));
        given().get("/dashboard.js").then().statusCode(200).body(containsString("EventSource"));
        given().get("/api/v1/dashboard").then().statusCode(401);
        given().get("/api/v1/dashboard/events").then().statusCode(401);
        String stranger = UpdraftStackResource.tokens().mint("stranger", Duration.ofMinutes(10), "device");
        given().cookie("updraft_token", stranger).get("/api/v1/dashboard").then().statusCode(403);
    }

    @Test
    void given_a_viewer_token_in_the_cookie_or_the_header_when_reading_the_dashboard_then_allowed() {
        String viewer = UpdraftStackResource.tokens().mint("viewer", Duration.ofMinutes(10), "viewer");
        given().cookie("updraft_token", viewer).get("/api/v1/dashboard").then().statusCode(200)
                .body("rollouts", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(viewer).get("/api/v1/dashboard").then().statusCode(200);
        given().cookie("updraft_token", viewer).get("/api/v1/rollbacks").then().statusCode(200);
    }

    @Test
    void given_an_unknown_rollout_when_reading_its_health_then_404_problem() {
        String rolloutId = newId("rollout");
        asViewer().get("/api/v1/rollouts/{id}/health", rolloutId).then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", is(404))
                .body("detail", containsString(rolloutId));
    }

    @Test
    void given_a_rollout_without_decisions_when_listing_rollbacks_then_empty() {
        asViewer().queryParam("rolloutId", newId("rollout")).get("/api/v1/rollbacks").then()
                .statusCode(200)
                .body("size()", is(0));
    }

    @Test
    void given_the_service_when_probed_then_health_metrics_and_openapi_need_no_token() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("updraft_rollbacks_triggered_total"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/rollouts/{rolloutId}/health"));
    }
}
