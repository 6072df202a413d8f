package io.updraft.release.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.TenantId;
import java.time.Instant;

/**
 * A two-step artifact upload: announced by a publisher, its bytes PUT to a secret URL, then adopted by one release.
 * Only the sha256 of the URL's token is kept, so the table does not hold working upload URLs.
 */
@Entity
@Table(name = "uploads")
public class Upload {
    @Id
    private String id;
    /** The tenant the row belongs to (ADR 0021): set from the session's tenant, and every query is filtered by it. */
    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false, length = 40)
    private String tenantId;
    @Column(name = "token_sha256", nullable = false, length = 64)
    private String tokenSha256;
    @Column(nullable = false, length = 255)
    private String filename;
    @Column(name = "announced_size")
    private Long announcedSize;
    @Column(name = "announced_sha256", length = 64)
    private String announcedSha256;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    private UploadState state;
    private Long size;
    @Column(length = 64)
    private String sha256;
    @Column(length = 40)
    private String sha1;
    @Column(length = 32)
    private String md5;
    @Column(name = "swu_signed", nullable = false)
    private boolean swuSigned;
    @Column(name = "swu_signer", length = 500)
    private String swuSigner;
    @Column(name = "release_id", length = 36)
    private String releaseId;
    @Column(name = "created_by", length = 255)
    private String createdBy;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected Upload() {
    }

    public Upload(String id, String tokenSha256, String filename, Long announcedSize, String announcedSha256,
            String createdBy, Instant createdAt, Instant expiresAt) {
        this.id = id;
        this.tokenSha256 = tokenSha256;
        this.filename = filename;
        this.announcedSize = announcedSize;
        this.announcedSha256 = announcedSha256;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.state = UploadState.CREATED;
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public void beginReceiving() {
        move(UploadState.RECEIVING);
    }

    /** The transfer failed: the URL may be used again until it expires. */
    public void abandonReceiving() {
        move(UploadState.CREATED);
    }

    public void received(ArtifactHashes hashes, boolean swuSigned, String swuSigner) {
        move(UploadState.RECEIVED);
        this.size = hashes.size();
        this.sha256 = hashes.sha256();
        this.sha1 = hashes.sha1();
        this.md5 = hashes.md5();
        this.swuSigned = swuSigned;
        this.swuSigner = swuSigner;
    }

    public void usedBy(String releaseId) {
        move(UploadState.USED);
        this.releaseId = releaseId;
    }

    private void move(UploadState next) {
        if (!state.canBecome(next)) {
            throw new IllegalStateException("upload " + id + " is " + state + ": it cannot become " + next);
        }
        state = next;
    }

    public String id() {
        return id;
    }

    public String tenantId() {
        return tenantId;
    }

    public String tokenSha256() {
        return tokenSha256;
    }

    public String filename() {
        return filename;
    }

    public Long announcedSize() {
        return announcedSize;
    }

    public String announcedSha256() {
        return announcedSha256;
    }

    public UploadState state() {
        return state;
    }

    /** Size and digests of the received bytes; null before they arrived. */
    public ArtifactHashes hashes() {
        return sha256 == null ? null : new ArtifactHashes(size, sha256, sha1, md5);
    }

    public boolean swuSigned() {
        return swuSigned;
    }

    public String swuSigner() {
        return swuSigner;
    }

    public String releaseId() {
        return releaseId;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
