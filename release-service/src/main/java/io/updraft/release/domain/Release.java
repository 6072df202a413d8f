package io.updraft.release.domain;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A named, versioned set of artifacts for some hardware (hawkBit: distribution set). Immutable once published. */
@Entity
@Table(name = "releases")
public class Release {
    @Id
    private String id;
    @Column(nullable = false, length = 100)
    private String name;
    @Column(nullable = false, length = 256)
    private String version;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    private ReleaseState state;
    private String notes;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @ElementCollection
    @CollectionTable(name = "release_hardware", joinColumns = @JoinColumn(name = "release_id"))
    @OrderColumn(name = "position")
    private List<HardwareTarget> hardware = new ArrayList<>();
    @OneToMany(mappedBy = "release")
    @OrderBy("id")
    private List<Artifact> artifacts = new ArrayList<>();

    protected Release() {
    }

    public Release(String id, String name, String version, String notes, List<HardwareTarget> hardware,
            Instant createdAt) {
        this.id = id;
        this.name = name;
        this.version = version;
        this.state = ReleaseState.PUBLISHED;
        this.notes = notes;
        this.hardware.addAll(hardware);
        this.createdAt = createdAt;
    }

    public Artifact addArtifact(String part, String filename, ArtifactHashes hashes) {
        Artifact artifact = new Artifact(this, part, filename, hashes);
        artifacts.add(artifact);
        return artifact;
    }

    public String id() {
        return id;
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
