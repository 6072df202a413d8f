package io.updraft.release.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.TenantId;

/** One file of a release. Its bytes live in the artifact store under {@link #sha256()}. */
@Entity
@Table(name = "artifacts")
public class Artifact {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    /** The tenant the row belongs to (ADR 0021): set from the session's tenant, and every query is filtered by it. */
    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false, length = 40)
    private String tenantId;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "release_id")
    private Release release;
    @Column(nullable = false, length = 100)
    private String part;
    @Column(nullable = false, length = 255)
    private String filename;
    @Column(nullable = false)
    private long size;
    @Column(nullable = false, length = 64)
    private String sha256;
    @Column(nullable = false, length = 40)
    private String sha1;
    @Column(nullable = false, length = 32)
    private String md5;
    @Column(name = "signed_by", length = 500)
    private String signedBy;
    @Column(name = "zchunk_header_size")
    private Long zchunkHeaderSize;
    @Column(name = "zchunk_chunk_count")
    private Integer zchunkChunkCount;
    /** full, delta or delta-source (ArtifactRef's roles): which devices the gateway offers the file to. */
    @Column(nullable = false, length = 20)
    private String role;

    protected Artifact() {
    }

    Artifact(Release release, String part, String filename, ArtifactHashes hashes, String signedBy,
            ArtifactZchunk zchunk, String role) {
        this.role = role;
        this.signedBy = signedBy;
        this.zchunkHeaderSize = zchunk == null ? null : zchunk.headerSize();
        this.zchunkChunkCount = zchunk == null ? null : zchunk.chunkCount();
        this.release = release;
        this.part = part;
        this.filename = filename;
        this.size = hashes.size();
        this.sha256 = hashes.sha256();
        this.sha1 = hashes.sha1();
        this.md5 = hashes.md5();
    }

    public Long id() {
        return id;
    }

    public String tenantId() {
        return tenantId;
    }

    public String part() {
        return part;
    }

    public String filename() {
        return filename;
    }

    public long size() {
        return size;
    }

    public String sha256() {
        return sha256;
    }

    public String sha1() {
        return sha1;
    }

    public String md5() {
        return md5;
    }

    /** Subject of the trusted key whose signature was verified at upload; null when unsigned. */
    public String signedBy() {
        return signedBy;
    }

    /** The .zck's header size and chunk count; null when the artifact is not a zchunk file. */
    public ArtifactZchunk zchunk() {
        return zchunkHeaderSize == null ? null : new ArtifactZchunk(zchunkHeaderSize, zchunkChunkCount, null);
    }

    public String role() {
        return role;
    }

    public Release release() {
        return release;
    }
}
