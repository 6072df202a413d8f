package io.updraft.gateway;

import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceCommand;
import io.updraft.events.EventMeta;
import io.updraft.events.MaintenanceWindow;
import io.updraft.events.UpdraftEvent;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Commands as the rollout-service sends them. */
final class Commands {
    static final String COHORT = "board:1.0";

    private Commands() {
    }

    static long newActionId() {
        return ThreadLocalRandom.current().nextLong(1, 1L << 50);
    }

    static long newArtifactId() {
        return ThreadLocalRandom.current().nextLong(1, 1L << 40);
    }

    static DeviceCommand.InstallRequested install(String deviceId, long actionId, ActionType type, Instant deadline,
            List<ArtifactRef> artifacts) {
        return new DeviceCommand.InstallRequested(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                deviceId, actionId, "rollout-" + actionId, 2, COHORT, "release-" + actionId, "fw", "1.1.0", artifacts,
                type, deadline, false, null, null);
    }

    /** A FORCED install of one artifact with an expiry and/or a maintenance window. */
    static DeviceCommand.InstallRequested install(String deviceId, long actionId, Instant expiresAt,
            MaintenanceWindow window) {
        return new DeviceCommand.InstallRequested(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                deviceId, actionId, "rollout-" + actionId, 2, COHORT, "release-" + actionId, "fw", "1.1.0",
                List.of(artifact("os", "fw-1.1.0.swu")), ActionType.FORCED, null, false, expiresAt, window);
    }

    static DeviceCommand.InstallRequested install(String deviceId, long actionId) {
        return install(deviceId, actionId, ActionType.FORCED, null, List.of(artifact("os", "fw-1.1.0.swu")));
    }

    static ArtifactRef artifact(String part, String filename) {
        long id = newArtifactId();
        return new ArtifactRef(id, part, filename, FakeReleaseService.SIZE, "sha256-" + id, "sha1-" + id, "md5-" + id);
    }

    static DeviceCommand.CancelRequested cancel(String deviceId, long actionId) {
        return new DeviceCommand.CancelRequested(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION,
                deviceId, actionId, "rollout-" + actionId, "operator canceled");
    }
}
