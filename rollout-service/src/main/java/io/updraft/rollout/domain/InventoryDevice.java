package io.updraft.rollout.domain;

import java.time.Instant;
import java.util.Map;

public record InventoryDevice(String deviceId, Map<String, String> attributes, String model, String revision,
        String installedReleaseId, String installedVersion, Instant lastSeen) {
}
