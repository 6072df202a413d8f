package io.updraft.release.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One tenant of the installation (ADR 0021): its id, a name for people and its quotas. Platform-wide, not any tenant's
 * data, so — unlike every other entity here — it carries no {@code @TenantId}: Hibernate's discriminator does not
 * filter it, and only the platform-admin role reaches it through the API.
 */
@Entity
@Table(name = "tenant")
public class Tenant {
    @Id
    private String id;
    @Column(name = "display_name", nullable = false, length = 200)
    private String displayName;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Column(nullable = false)
    private long version;
    @Column(name = "max_devices")
    private Long maxDevices;
    @Column(name = "max_artifact_bytes")
    private Long maxArtifactBytes;
    @Column(name = "max_rollouts_in_flight")
    private Integer maxRolloutsInFlight;
    @Column(name = "max_commands_per_second")
    private Integer maxCommandsPerSecond;

    protected Tenant() {
    }

    /** @param id a canonical tenant id (the caller checked it) */
    public Tenant(String id, String displayName, TenantQuotas quotas, Instant now) {
        this.id = id;
        this.displayName = displayName;
        this.createdAt = now;
        this.updatedAt = now;
        this.version = 1;
        apply(quotas);
    }

    /**
     * Sets the quotas; answers whether anything changed. An unchanged definition keeps its version, so a repeated
     * request announces nothing new.
     */
    public boolean changeQuotas(TenantQuotas quotas, Instant now) {
        if (quotas.equals(quotas())) {
            return false;
        }
        apply(quotas);
        updatedAt = now;
        version++;
        return true;
    }

    private void apply(TenantQuotas quotas) {
        maxDevices = quotas.maxDevices();
        maxArtifactBytes = quotas.maxArtifactBytes();
        maxRolloutsInFlight = quotas.maxRolloutsInFlight();
        maxCommandsPerSecond = quotas.maxCommandsPerSecond();
    }

    public TenantQuotas quotas() {
        return new TenantQuotas(maxDevices, maxArtifactBytes, maxRolloutsInFlight, maxCommandsPerSecond);
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public long version() {
        return version;
    }
}
