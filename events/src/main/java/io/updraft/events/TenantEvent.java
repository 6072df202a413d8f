package io.updraft.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * The tenant registry on {@link Topics#TENANTS} (ADR 0021), keyed by the tenant's id; a compacted topic, so its latest
 * record per tenant is what the tenant is now. Written by release-service, which owns the registry; the other services
 * read the whole topic into memory to know each tenant's quotas.
 *
 * <p>These are platform records, not a tenant's own data: they are written in the {@link TenantIds#DEFAULT} envelope
 * (no {@code "tenant"} field, the key is the bare tenant id), and the tenant they define is {@code tenantId}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(TenantEvent.TenantDefined.class) })
public sealed interface TenantEvent extends UpdraftEvent {
    /** The canonical (upper-case) tenant id ({@link TenantIds}). */
    String tenantId();

    @Override
    @JsonIgnore
    default String key() {
        return tenantId();
    }

    @Override
    @JsonIgnore
    default String topic() {
        return Topics.TENANTS;
    }

    /**
     * A tenant's limits; null is unlimited. Counts (devices, artifact bytes, rollouts in flight) are refused with a 409
     * when a change would exceed them, rates (commands per second) with a 429.
     */
    record Quotas(Long maxDevices, Long maxArtifactBytes, Integer maxRolloutsInFlight, Integer maxCommandsPerSecond) {
        public static final Quotas UNLIMITED = new Quotas(null, null, null, null);
    }

    /**
     * A tenant as it is after its creation or a change: the whole definition every time, so a reader needs only the
     * latest record per key. {@code version} grows by one with each change of the tenant (1 when it is created): a
     * reader keeps the highest it has seen.
     */
    record TenantDefined(String eventId, Instant occurredAt, int schemaVersion, String tenantId, String displayName,
            Instant createdAt, long version, Quotas quotas) implements TenantEvent {
        public TenantDefined {
            quotas = quotas == null ? Quotas.UNLIMITED : quotas;
        }
    }
}
