package io.updraft.gateway.domain;

import io.updraft.events.TenantIds;

/**
 * One string per device across tenants, for the in-memory maps (poll views, first contacts, heartbeats) and the
 * change notifications: {@code TENANT/controllerId}, or the bare controllerId for {@link TenantIds#DEFAULT} — the
 * record key the device's events get. Unambiguous: neither a tenant id nor a controllerId holds a {@code /}.
 */
public final class DeviceKeys {
    private DeviceKeys() {
    }

    public static String of(String tenant, String controllerId) {
        return TenantIds.recordKey(tenant, controllerId);
    }

    public static String tenant(String key) {
        return TenantIds.tenantOfRecordKey(key);
    }

    public static String controllerId(String key) {
        return key.substring(key.indexOf(TenantIds.KEY_SEPARATOR) + 1);
    }
}
