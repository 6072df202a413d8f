package io.updraft.events;

/**
 * When a device may install: windows open at each time the Quartz-style {@code cron} expression fires (in
 * {@code zone}) and stay open for {@code duration} (ISO-8601, e.g. {@code PT2H}), as hawkBit's maintenance windows.
 */
public record MaintenanceWindow(String cron, String duration, String zone) {
}
