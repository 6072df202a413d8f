package io.updraft.telemetry.messaging.streams;

import io.updraft.events.TenantIds;

/**
 * Ids as the health topology keeps them (ADR 0021 decision 4): a device or rollout id of a tenant other than DEFAULT
 * prefixed {@code TENANT/}, exactly as its record key ({@link TenantIds#recordKey}); DEFAULT's ids bare, so a
 * single-tenant installation's stores, signals, repartition keys and decision ids stay byte for byte as they were.
 * Every key built from a scoped rollout id ({@code rolloutId|cohort}, the windows') is therefore per tenant too, and
 * an identifier never holds a {@code /}, so the prefix cannot be forged from an id.
 */
public final class ScopedIds {
    private ScopedIds() {
    }

    public static String of(String tenant, String id) {
        return TenantIds.recordKey(tenant, id);
    }

    public static String tenantOf(String scoped) {
        return TenantIds.tenantOfRecordKey(scoped);
    }

    /** The id without its tenant prefix. */
    public static String idOf(String scoped) {
        int separator = scoped.indexOf(TenantIds.KEY_SEPARATOR);
        return separator < 0 ? scoped : scoped.substring(separator + 1);
    }
}
