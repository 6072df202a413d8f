package io.updraft.rollout;

import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.events.EventMeta;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.ReleaseEvent;
import io.updraft.events.RollbackEvent;
import io.updraft.events.UpdraftEvent;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds the events other services would publish, with fresh ids so tests never see each other's data. */
final class Fleet {
    private Fleet() {
    }

    static String uniqueModel() {
        return "gw-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ReleaseEvent.ReleasePublished release(String releaseId, String version, String model) {
        return new ReleaseEvent.ReleasePublished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                releaseId, "firmware", version,
                // a stated role, so tests can see it carried into InstallRequested (the gateway chooses files by it)
                List.of(new ArtifactRef(42, "os", "fw-" + version + ".swu", 1024, "a".repeat(64), "b".repeat(40),
                        "c".repeat(32), ArtifactRef.FULL)),
                List.of(new HardwareCompatibility(model, HardwareCompatibility.ANY_REVISION)));
    }

    static DeviceReport.DeviceRegistered registered(String deviceId, String model, String revision) {
        return new DeviceReport.DeviceRegistered(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                deviceId, "default", Map.of(DeviceReport.MODEL, model, DeviceReport.REVISION, revision, "site", "lab"));
    }

    static DeviceReport.DeviceRegistered registered(String deviceId, Map<String, String> attributes) {
        return new DeviceReport.DeviceRegistered(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                deviceId, "default", attributes);
    }

    static DeviceReport.InstalledVersionReported installed(String deviceId, String releaseId, String version) {
        return new DeviceReport.InstalledVersionReported(EventMeta.newId(), EventMeta.now(),
                UpdraftEvent.SCHEMA_VERSION, deviceId, releaseId, version);
    }

    static DeviceReport.ActionFinished finished(InstallRequested command, DeviceReport.Outcome outcome) {
        return new DeviceReport.ActionFinished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                command.deviceId(), command.actionId(), command.rolloutId(), command.wave(), command.cohort(),
                command.releaseId(), command.version(), command.rollback(), outcome, List.of());
    }

    static DeviceReport.ActionDenied denied(InstallRequested command) {
        return new DeviceReport.ActionDenied(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                command.deviceId(), command.actionId(), command.rolloutId(), command.cohort(), 451,
                java.util.List.of("the user said no"));
    }

    static DeviceReport.ActionExpired expired(InstallRequested command) {
        return new DeviceReport.ActionExpired(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                command.deviceId(), command.actionId(), command.rolloutId(), command.cohort());
    }

    static DeviceReport.DeviceAttributesUpdated attributesUpdated(String deviceId, Map<String, String> attributes) {
        return new DeviceReport.DeviceAttributesUpdated(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                deviceId, "replace", attributes);
    }

    static DeviceReport.DeviceSeen seen(String deviceId) {
        return new DeviceReport.DeviceSeen(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, deviceId);
    }

    static RollbackEvent.RollbackTriggered rollback(String rolloutId, String cohort) {
        return new RollbackEvent.RollbackTriggered(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                rolloutId, cohort, "failure rate 0.8 above 0.5",
                new RollbackEvent.Evidence(1, 4, 0.8, 0.5, 3, EventMeta.now().minusSeconds(10), EventMeta.now(),
                        "failedInstalls", 4, 5, 0.8, 0.5));
    }
}
