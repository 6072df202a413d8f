package io.updraft.events;

import java.util.List;

/**
 * Topic names. Every per-device topic is keyed by device id, every rollout topic by rollout id, the tenant registry by
 * tenant id.
 */
public final class Topics {
    public static final String RELEASES = "releases";
    public static final String DEVICE_COMMANDS = "device-commands";
    public static final String DEVICE_REPORTS = "device-reports";
    public static final String DEVICE_TELEMETRY = "device-telemetry";
    public static final String ROLLOUT_EVENTS = "rollout-events";
    public static final String ROLLBACKS = "rollbacks";
    public static final String FLEET_HEALTH = "fleet-health";
    /** The tenant registry (ADR 0021): compacted, keyed by tenant id. */
    public static final String TENANTS = "tenants";

    public static final List<String> ALL = List.of(RELEASES, DEVICE_COMMANDS, DEVICE_REPORTS, DEVICE_TELEMETRY,
            ROLLOUT_EVENTS, ROLLBACKS, FLEET_HEALTH, TENANTS);

    /** Where a consumer parks a record it cannot read; one per consumed topic. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    private Topics() {
    }
}
