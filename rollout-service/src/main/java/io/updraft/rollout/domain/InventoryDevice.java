package io.updraft.rollout.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

public record InventoryDevice(String deviceId, Map<String, String> attributes, String model, String revision,
        String installedReleaseId, String installedVersion, Instant lastSeen) {

    /** @param expression a parsed filter expression, or null */
    public record Filter(String model, String revision, String version,
            io.updraft.rollout.domain.filter.Filter expression) {
    }

    public record Page(List<InventoryDevice> items, long total) {
    }

    /** Devices after a device id, in device id order, and whether more follow. */
    public record Slice(List<InventoryDevice> items, boolean more) {
    }
}
