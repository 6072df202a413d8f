package io.updraft.release.domain;

/**
 * A tenant's limits (ADR 0021 decision 5); null is unlimited, zero allows none. Counts (devices, artifact bytes,
 * rollouts in flight) are refused with a 409 when a change would exceed them, rates (commands per second) with a 429.
 * This service enforces the artifact bytes; the others read the rest from the {@code tenants} topic.
 */
public record TenantQuotas(Long maxDevices, Long maxArtifactBytes, Integer maxRolloutsInFlight,
        Integer maxCommandsPerSecond) {
    public static final TenantQuotas UNLIMITED = new TenantQuotas(null, null, null, null);

    public TenantQuotas {
        notNegative("maxDevices", maxDevices);
        notNegative("maxArtifactBytes", maxArtifactBytes);
        notNegative("maxRolloutsInFlight", maxRolloutsInFlight);
        notNegative("maxCommandsPerSecond", maxCommandsPerSecond);
    }

    /** Whether storing {@code more} bytes on top of {@code stored} stays within the artifact-bytes quota. */
    public boolean allowsArtifactBytes(long stored, long more) {
        return maxArtifactBytes == null || more <= 0 || stored + more <= maxArtifactBytes && stored + more >= 0;
    }

    private static void notNegative(String name, Number value) {
        if (value != null && value.longValue() < 0) {
            throw new IllegalArgumentException(name + " must be null (unlimited) or at least 0, not " + value);
        }
    }
}
