package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.updraft.events.DeviceReport;
import io.updraft.support.validation.Inputs;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a device sends is bounded and free of NUL and control characters before it is stored or published: the
 * rollout-service must be able to store every report the gateway lets through (a NUL it cannot store once made the
 * two services' views of a device diverge). Refused input is a 400 problem and changes nothing; feedback details
 * are never refused, only capped and cleaned.
 */
@QuarkusTest
class DeviceInputValidationIT extends GatewayTestBase {
    @Inject
    EntityManager entityManager;

    private GatewayDatabase database;
    private DdiDevice device;

    @BeforeEach
    void registeredDevice() {
        database = new GatewayDatabase(entityManager);
        device = DdiDevice.random();
        device.poll();
        eventually().until(() -> database.registered(device.id()));
    }

    @Test
    void givenHostileConfigData_whenPut_then400AndAttributesAndEventsUnchanged() {
        Map<String, Object> tooMany = new HashMap<>();
        IntStream.range(0, 101).forEach(i -> tooMany.put("k" + i, "v"));
        List<Object> bodies = List.of(
                Map.of("data", Map.of("model", "board\u0000x")),
                Map.of("data", Map.of("mo\u0000del", "board")),
                Map.of("data", Map.of("model", "line\nbreak")),
                Map.of("data", Map.of("\u0007bell", "x")),
                Map.of("data", Map.of("revision", 3)),
                Map.of("data", Map.of("revision", true)),
                Map.of("data", Map.of("revision", Map.of("nested", "x"))),
                Map.of("data", Map.of("revision", List.of("a"))),
                "{\"data\":{\"revision\":null}}",
                Map.of("data", Map.of("", "empty key")),
                Map.of("data", Map.of("k".repeat(129), "x")),
                Map.of("data", Map.of("model", "v".repeat(1025))),
                Map.of("data", tooMany),
                Map.of("mode", "remove", "data", Map.of("model\u0000", "")));
        String attributesBefore = database.attributes(device.id());
        long outboxBefore = database.outboxSequence();

        for (Object body : bodies) {
            device.request().contentType(ContentType.JSON).body(body).put(device.path() + "/configData").then()
                    .statusCode(400).contentType("application/problem+json");
        }

        assertThat(database.attributes(device.id())).isEqualTo(attributesBefore);
        assertThat(database.outboxSequence()).as("no DeviceAttributesUpdated").isEqualTo(outboxBefore);
    }

    @Test
    void givenMergesThatWouldGrowTheAttributesBeyondTheBound_whenPut_thenTheOneTooMany400() {
        Map<String, Object> first = new HashMap<>();
        IntStream.range(0, 100).forEach(i -> first.put("a" + i, "v"));
        device.request().contentType(ContentType.JSON).body(Map.of("data", first))
                .put(device.path() + "/configData").then().statusCode(200);
        String attributesBefore = database.attributes(device.id());

        device.request().contentType(ContentType.JSON).body(Map.of("mode", "merge", "data", Map.of("b", "v")))
                .put(device.path() + "/configData").then().statusCode(400).contentType("application/problem+json");

        assertThat(database.attributes(device.id())).isEqualTo(attributesBefore);
        device.request().contentType(ContentType.JSON).body(Map.of("mode", "merge", "data", Map.of("a1", "w")))
                .put(device.path() + "/configData").then().statusCode(200);
    }

    @Test
    void givenBoundedPrintableConfigData_whenPut_thenAccepted() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("k".repeat(128), "v".repeat(1024));
        data.put("hwRevision", "2");
        data.put("unicode", "Gerät – 温度");
        device.request().contentType(ContentType.JSON).body(Map.of("mode", "replace", "data", data))
                .put(device.path() + "/configData").then().statusCode(200);

        DeviceReport.DeviceAttributesUpdated updated = Reports.awaitOne(device.id(),
                DeviceReport.DeviceAttributesUpdated.class);
        assertThat(updated.attributes()).containsEntry("hwRevision", "2").containsEntry("unicode", "Gerät – 温度");
    }

    @Test
    void givenHostileInstalledBase_whenPut_then400AndNothingReported() {
        long outboxBefore = database.outboxSequence();
        List<Object> bodies = List.of(
                Map.of("version", "1.0\u0000"),
                Map.of("version", "1.0\r\nX: y"),
                Map.of("version", "1.0", "releaseId", "rel\u00001"),
                Map.of("version", "1.0", "releaseId", "rel 1"),
                Map.of("version", "1.0", "releaseId", "r".repeat(201)),
                Map.of("version", "v".repeat(101)));

        for (Object body : bodies) {
            device.request().contentType(ContentType.JSON).body(body).put(device.path() + "/installedBase").then()
                    .statusCode(400).contentType("application/problem+json");
        }

        assertThat(database.outboxSequence()).as("no InstalledVersionReported").isEqualTo(outboxBefore);
    }

    @Test
    void givenHostileHealthReports_whenPosted_then400AndNoTelemetry() {
        Map<String, Object> manyMetrics = new HashMap<>();
        IntStream.range(0, 51).forEach(i -> manyMetrics.put("m" + i, 1.0));
        long outboxBefore = database.outboxSequence();
        List<Object> bodies = List.of(
                Map.of("bootOk", true, "appHealthy", true, "crashCount", -1),
                Map.of("bootOk", true, "appHealthy", true, "metrics", manyMetrics),
                Map.of("bootOk", true, "appHealthy", true, "metrics", Map.of("cp\u0000u", 0.3)),
                Map.of("bootOk", true, "appHealthy", true, "metrics", Map.of("c".repeat(129), 0.3)),
                "{\"bootOk\":true,\"appHealthy\":true,\"metrics\":{\"cpu\":null}}");

        for (Object body : bodies) {
            device.request().contentType(ContentType.JSON).body(body).post(device.path() + "/health").then()
                    .statusCode(400).contentType("application/problem+json");
        }

        assertThat(database.outboxSequence()).as("no HealthReported").isEqualTo(outboxBefore);
    }

    @Test
    void givenFeedbackDetailsWithControlCharacters_whenPosted_thenAcceptedAndPublishedWithoutThem() {
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);
        // as JSON escapes, so that the gateway's parser, not the test's, produces NUL, controls and a lone surrogate
        String details = "[\"nul\\u0000byte\", \"bell\\u0007 and escape \\u001b[31mred\", \"tab\\tand\\r\\nbreak\","
                + " \"ok line\", \"" + "x".repeat(999) + "\\uD83D\\uDE00tail\", \"lone \\uD800 surrogate\"]";

        device.request().contentType(ContentType.JSON)
                .body("{\"status\":{\"execution\":\"proceeding\",\"result\":{\"finished\":\"none\"},\"details\":"
                        + details + "}}")
                .post(device.path() + "/deploymentBase/" + actionId + "/feedback").then().statusCode(200);

        DeviceReport.ActionProgressed progressed = Reports.awaitOne(device.id(), DeviceReport.ActionProgressed.class);
        assertThat(progressed.details()).hasSize(6).allSatisfy(line -> {
            assertThat(line.length()).isLessThanOrEqualTo(1000);
            assertThat(Inputs.isLine(line, 1000)).as(line).isTrue();
        });
        assertThat(progressed.details()).containsExactly("nul byte", "bell  and escape  [31mred", "tab and  break",
                "ok line", "x".repeat(999), "lone \uFFFD surrogate");
    }

    @Test
    void givenBadPathParameters_whenRequested_then4xxProblemNever500() {
        String base = device.path();
        List<String> paths = List.of(
                base + "/deploymentBase/abc",
                base + "/deploymentBase/99999999999999999999",
                base + "/deploymentBase/-5",
                base + "/installedBase/1e3",
                base + "/cancelAction/%20",
                base + "/softwaremodules/abc/artifacts",
                base + "/softwaremodules/99999999999999999999/artifacts/x.swu",
                base + "/softwaremodules/1/artifacts/" + "f".repeat(300) + ".swu",
                base + "/softwaremodules/1/artifacts/" + "f".repeat(300) + ".swu.MD5SUM",
                base + "/softwaremodules/1/artifacts/..",
                base + "/softwaremodules/1/artifacts/a%2F..%2F..%2Fetc",
                base + "/softwaremodules/1/artifacts/x%00.swu",
                base + "/softwaremodules/1/artifacts/%E2%80%AE.swu");
        for (String path : paths) {
            RawHttp.Answer answer = RawHttp.send("GET", path, "GatewayToken " + DdiDevice.GATEWAY_TOKEN, null);
            assertThat(answer.status()).as(path + " → " + answer.body()).isBetween(400, 499);
            assertThat(answer.contentType()).as(path).startsWith("application/problem+json");
        }
        RawHttp.Answer feedback = RawHttp.send("POST", base + "/deploymentBase/12x/feedback",
                "GatewayToken " + DdiDevice.GATEWAY_TOKEN, "{\"status\":{\"execution\":\"closed\"}}");
        assertThat(feedback.status()).isBetween(400, 499);
        assertThat(feedback.contentType()).startsWith("application/problem+json");
    }
}
