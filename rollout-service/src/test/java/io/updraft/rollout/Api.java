package io.updraft.rollout;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.rollout.persistence.ReleaseCatalog;
import io.updraft.testsupport.TestKafka;
import jakarta.enterprise.inject.spi.CDI;
import java.time.Duration;
import java.util.Map;

/** The management API as an operator (or viewer) calls it, and waits for the consumers to catch up. */
final class Api {
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(30);
    private static String operator;
    private static String viewer;

    private Api() {
    }

    static synchronized RequestSpecification asOperator() {
        if (operator == null) {
            operator = UpdraftStackResource.tokens().mint("test-operator", TOKEN_LIFETIME, "operator");
        }
        return given().auth().oauth2(operator).contentType(ContentType.JSON);
    }

    static synchronized RequestSpecification asViewer() {
        if (viewer == null) {
            viewer = UpdraftStackResource.tokens().mint("test-viewer", TOKEN_LIFETIME, "viewer");
        }
        return given().auth().oauth2(viewer).contentType(ContentType.JSON);
    }

    /** A release of {@code model} and one registered device {@code <model>-a}, once the service has both. */
    static String releaseWithOneDevice(String model) {
        String releaseId = java.util.UUID.randomUUID().toString();
        TestKafka.send(Fleet.release(releaseId, "1.0.0", model));
        TestKafka.send(Fleet.registered(model + "-a", model, "1"));
        awaitRelease(releaseId);
        awaitDevice(model + "-a", null);
        return releaseId;
    }

    /** {@link #releaseWithOneDevice} rolled out to that device: the running rollout's id. */
    static String rolloutOfOneDevice(String model) {
        String releaseId = releaseWithOneDevice(model);
        return createRollout(Map.of("releaseId", releaseId, "target", Map.of("model", model)))
                .then().statusCode(201).extract().path("id");
    }

    static Response createRollout(Map<String, Object> body) {
        return asOperator().body(body).post("/api/v1/rollouts");
    }

    static Response rollout(String id) {
        return asViewer().get("/api/v1/rollouts/" + id);
    }

    static void awaitRelease(String releaseId) {
        ReleaseCatalog catalog = CDI.current().select(ReleaseCatalog.class).get();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> QuarkusTransaction.requiringNew().call(() -> catalog.find(releaseId).isPresent()));
    }

    static void awaitDevice(String deviceId, String installedReleaseId) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Response response = asViewer().get("/api/v1/devices/" + deviceId);
            return response.statusCode() == 200 && (installedReleaseId == null
                    || installedReleaseId.equals(response.jsonPath().getString("installedReleaseId")));
        });
    }
}
