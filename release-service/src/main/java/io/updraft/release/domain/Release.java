package io.updraft.release.domain;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import org.hibernate.annotations.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A named, versioned set of artifacts for some hardware (hawkBit: distribution set). Its content is immutable; only
 * its {@link ReleaseState} moves on, through {@link #moveTo}.
 */
@Entity
@Table(name = "releases")
public class Release {
    @Id
    private String id;
    /** The tenant the row belongs to (ADR 0021): set from the session's tenant, and every query is filtered by it. */
    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false, length = 40)
    private String tenantId;
    @Column(nullable = false, length = 100)
    private String name;
    @Column(nullable = false, length = 256)
    private String version;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    private ReleaseState state;
    private String notes;
    @Column(name = "min_installed_version", length = 256)
    private String minInstalledVersion;
    @Column(name = "revoked_reason", length = 1000)
    private String revokedReason;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "state_changed_at")
    private Instant stateChangedAt;
    @ElementCollection
    @CollectionTable(name = "release_label", joinColumns = @JoinColumn(name = "release_id"))
    @MapKeyColumn(name = "label_key")
    @Column(name = "label_value", nullable = false, length = 500)
    private Map<String, String> labels = new TreeMap<>();
    @ElementCollection
    @CollectionTable(name = "release_hardware", joinColumns = @JoinColumn(name = "release_id"))
    @OrderColumn(name = "position")
    private List<HardwareTarget> hardware = new ArrayList<>();
    @OneToMany(mappedBy = "release")
    @OrderBy("id")
    private List<Artifact> artifacts = new ArrayList<>();

    protected Release() {
    }

    public Release(String id, String name, String version, ReleaseState state, String notes,
            String minInstalledVersion, Map<String, String> labels, List<HardwareTarget> hardware, Instant createdAt) {
        this.id = id;
        this.name = name;
        this.version = version;
        this.state = state;
        this.notes = notes;
        this.minInstalledVersion = minInstalledVersion;
        this.labels.putAll(labels);
        this.hardware.addAll(hardware);
        this.createdAt = createdAt;
        this.stateChangedAt = createdAt;
    }

    /**
     * @throws IllegalStateException when {@link ReleaseState#canBecome} forbids it (callers check first and answer 409)
     */
    public void moveTo(ReleaseState next, String reason, Instant at) {
        if (!state.canBecome(next)) {
            throw new IllegalStateException("release " + id + " is " + state + ", cannot become " + next);
        }
        state = next;
        stateChangedAt = at;
        if (next == ReleaseState.REVOKED) {
            revokedReason = reason;
        }
    }

    public Artifact addArtifact(String part, String filename, ArtifactHashes hashes, String signedBy,
            ArtifactZchunk zchunk, String role) {
        Artifact artifact = new Artifact(this, part, filename, hashes, signedBy, zchunk, role);
        artifacts.add(artifact);
        return artifact;
    }

    public String id() {
        return id;
    }

    public String tenantId() {
        return tenantId;
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public ReleaseState state() {
        return state;
    }

    public String notes() {
        return notes;
    }

    public String minInstalledVersion() {
        return minInstalledVersion;
    }

    public String revokedReason() {
        return revokedReason;
    }

    public Instant stateChangedAt() {
        return stateChangedAt;
    }

    public Map<String, String> labels() {
        return Map.copyOf(labels);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public List<HardwareTarget> hardware() {
        return List.copyOf(hardware);
    }

    public List<Artifact> artifacts() {
        return List.copyOf(artifacts);
    }
}
