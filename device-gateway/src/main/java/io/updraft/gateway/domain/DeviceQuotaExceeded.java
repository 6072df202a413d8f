package io.updraft.gateway.domain;

import io.updraft.support.problem.ProblemException;

/**
 * A device that would take its tenant past the tenant's {@code maxDevices} quota (ADR 0021 decision 5): not created,
 * answered 409 (a count quota) with a detail naming the quota. Devices the tenant already has are never refused.
 */
public final class DeviceQuotaExceeded extends ProblemException {
    public DeviceQuotaExceeded(String tenant, String controllerId, Long maxDevices) {
        super(409, "Conflict", "device quota exceeded: tenant " + tenant + " may have "
                + (maxDevices == null ? "no more" : "at most " + maxDevices) + " devices (maxDevices), so "
                + controllerId + " is not registered");
    }

    /** How many devices a tenant holding {@code count} may still add under {@code maxDevices} (null: unlimited). */
    public static long room(long count, Long maxDevices) {
        return maxDevices == null ? Long.MAX_VALUE : Math.max(0, maxDevices - count);
    }
}
