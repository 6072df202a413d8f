package io.updraft.gateway;

import static org.awaitility.Awaitility.await;

import io.updraft.events.DeviceReport;
import io.updraft.events.DeviceTelemetry;
import io.updraft.events.EventJson;
import io.updraft.events.Topics;
import io.updraft.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** What the gateway published about a device, read back from the real topics. */
final class Reports {
    private Reports() {
    }

    static <T extends DeviceReport> List<T> of(String deviceId, Class<T> type) {
        return TestKafka.values(Topics.DEVICE_REPORTS, deviceId).stream()
                .map(json -> EventJson.read(json, DeviceReport.class))
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    static <T extends DeviceReport> T awaitOne(String deviceId, Class<T> type) {
        AtomicReference<T> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<T> events = of(deviceId, type);
            if (events.isEmpty()) {
                return false;
            }
            found.set(events.get(0));
            return true;
        });
        return found.get();
    }

    static List<DeviceTelemetry> telemetry(String deviceId) {
        return TestKafka.values(Topics.DEVICE_TELEMETRY, deviceId).stream()
                .map(json -> EventJson.read(json, DeviceTelemetry.class))
                .toList();
    }
}
