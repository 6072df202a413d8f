package io.updraft.rollout.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

public record DeviceView(String deviceId, Map<String, String> attributes, String cohort, String installedReleaseId,
        String installedVersion, Instant lastSeen) {

    public record Page(List<DeviceView> items, int page, int size, long total) {
    }
}
