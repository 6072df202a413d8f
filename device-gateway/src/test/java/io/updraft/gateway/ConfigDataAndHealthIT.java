package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.updraft.events.DeviceReport;
import io.updraft.events.DeviceTelemetry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConfigDataAndHealthIT extends GatewayTestBase {

    @Test
    void givenConfigDataInEachMode_whenPut_thenWholeAttributeSetIsPublishedAndTheLinkDisappears() {
        DdiDevice device = DdiDevice.random();
        assertThat(device.poll().getString("_links.configData.href")).isNotNull();

        put(device, Map.of("mode", "merge", "data", Map.of("model", "board", "revision", "1.0"),
                "id", 3, "time", "20261127T151750", "status", Map.of("execution", "closed")));
        put(device, Map.of("data", Map.of("revision", "2.0", "serial", "42")));
        put(device, Map.of("mode", "remove", "data", Map.of("serial", "")));
        put(device, Map.of("mode", "replace", "data", Map.of("model", "other", "hwRevision", "3")));

        eventually().until(() -> Reports.of(device.id(), DeviceReport.DeviceAttributesUpdated.class).size() == 4);
        List<DeviceReport.DeviceAttributesUpdated> updates =
                Reports.of(device.id(), DeviceReport.DeviceAttributesUpdated.class);
        assertThat(updates).extracting(DeviceReport.DeviceAttributesUpdated::mode)
                .containsExactly("merge", "merge", "remove", "replace");
        assertThat(updates.get(0).attributes()).isEqualTo(Map.of("model", "board", "revision", "1.0"));
        assertThat(updates.get(1).attributes()).isEqualTo(Map.of("model", "board", "revision", "2.0", "serial", "42"));
        assertThat(updates.get(2).attributes()).isEqualTo(Map.of("model", "board", "revision", "2.0"));
        assertThat(updates.get(3).attributes()).isEqualTo(Map.of("model", "other", "hwRevision", "3"));
        assertThat(device.poll().getMap("_links")).doesNotContainKey("configData");
    }

    @Test
    void givenUnknownMode_whenConfigDataPut_then400AndNothingPublished() {
        DdiDevice device = DdiDevice.random();
        device.request().contentType(ContentType.JSON).body(Map.of("mode", "shuffle", "data", Map.of("a", "b")))
                .put(device.path() + "/configData").then().statusCode(400).contentType("application/problem+json");
        device.poll();
        Reports.awaitOne(device.id(), DeviceReport.DeviceRegistered.class);
        assertThat(Reports.of(device.id(), DeviceReport.DeviceAttributesUpdated.class)).isEmpty();
    }

    @Test
    void givenHealthReport_whenPosted_thenHealthReportedOnDeviceTelemetry() {
        DdiDevice device = DdiDevice.random();
        device.request().contentType(ContentType.JSON)
                .body(Map.of("bootOk", true, "crashCount", 2, "appHealthy", false, "metrics", Map.of("cpu", 0.3)))
                .post(device.path() + "/health").then().statusCode(204);

        eventually().until(() -> !Reports.telemetry(device.id()).isEmpty());
        DeviceTelemetry.HealthReported health = (DeviceTelemetry.HealthReported) Reports.telemetry(device.id()).get(0);
        assertThat(health.bootOk()).isTrue();
        assertThat(health.crashCount()).isEqualTo(2);
        assertThat(health.appHealthy()).isFalse();
        assertThat(health.metrics()).isEqualTo(Map.of("cpu", 0.3));
    }

    @Test
    void givenIncompleteHealthReport_whenPosted_then400() {
        DdiDevice device = DdiDevice.random();
        device.request().contentType(ContentType.JSON).body(Map.of("crashCount", -1))
                .post(device.path() + "/health").then().statusCode(400).contentType("application/problem+json");
    }

    private static void put(DdiDevice device, Map<String, Object> body) {
        device.request().contentType(ContentType.JSON).body(body).put(device.path() + "/configData").then()
                .statusCode(200);
    }
}
