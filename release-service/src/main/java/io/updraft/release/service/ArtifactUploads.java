package io.updraft.release.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.updraft.release.config.UploadConfig;
import io.updraft.release.domain.ArtifactHashes;
import io.updraft.release.domain.Upload;
import io.updraft.release.domain.UploadState;
import io.updraft.release.domain.ArtifactZchunk;
import io.updraft.release.persistence.UploadRepository;
import io.updraft.release.persistence.ZchunkIndexRepository;
import io.updraft.release.service.storage.InvalidZchunkException;
import io.updraft.release.service.signing.SignatureCheck;
import io.updraft.release.service.storage.ArtifactStore;
import io.updraft.release.service.storage.Spool;
import io.updraft.release.service.storage.StorageFullException;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Two-step uploads, as CI systems and S3 pre-signed URLs work: a publisher announces a file and gets a secret,
 * expiring URL; the bytes are PUT there (hashed while they are written, checked against what was announced, staged
 * in the artifact store); a publish then references the upload instead of carrying the bytes, and adopts it once.
 */
@ApplicationScoped
public class ArtifactUploads {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    UploadRepository uploads;
    @Inject
    UploadConfig config;
    @Inject
    Spool spool;
    @Inject
    ArtifactStore store;
    @Inject
    SignatureCheck signatureCheck;
    @Inject
    ZchunkIndexRepository zchunkIndexes;
    @Inject
    ArtifactQuota quota;

    /** A new upload and the secret token of its URL (shown once, stored only as its sha256). */
    public record Announced(Upload upload, String token) {
    }

    /** What a publish needs of a received upload. */
    public record ReceivedUpload(String id, String filename, ArtifactHashes hashes, SignatureCheck.Embedded embedded,
            String usedByRelease, ArtifactZchunk zchunk) {
    }

    public Announced announce(String filename, Long size, String sha256, String createdBy) {
        if (size != null && size > config.maxSize().asLongValue()) {
            throw new ProblemException(413, "Content too large", "the upload announces " + size + " bytes; this"
                    + " service accepts at most " + config.maxSize().asLongValue() + " bytes (updraft.upload.max-size)");
        }
        if (size != null) {
            quota.precheck(size, "the upload of " + filename); // no row yet: a refusal leaves nothing
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Upload upload = new Upload(UUID.randomUUID().toString(), sha256(token), filename, size, sha256, createdBy,
                now, now.plus(config.urlLifetime()));
        QuarkusTransaction.requiringNew().run(() -> uploads.persist(upload));
        return new Announced(upload, token);
    }

    public java.util.Optional<Upload> find(String id) {
        return QuarkusTransaction.requiringNew().call(() -> uploads.findByIdOptional(id));
    }

    /**
     * Streams the bytes of a PUT into the spool, hashing them on the way, checks them against what was announced and
     * stages them in the artifact store. Refused or failed transfers leave nothing behind and the URL usable again;
     * one that does not fit in the storage (announced too large, or the volume fills while it is written) is a
     * {@link StorageFullException}.
     */
    public Upload receive(String id, String token, Long contentLength, InputStream body) {
        Upload announced = QuarkusTransaction.requiringNew().call(() -> beginReceiving(id, token, contentLength));
        Spool.SpooledFile spooled = null;
        boolean staged = false;
        try {
            if (contentLength != null) {
                spool.requireRoom(contentLength);
            }
            Long expected = contentLength != null ? contentLength : announced.announcedSize();
            if (expected != null) {
                quota.precheck(expected, "upload " + id); // before a byte is spooled
            }
            spooled = spool.receive(body);
            ArtifactHashes hashes = spooled.hashes();
            check(announced, hashes);
            ArtifactZchunk zchunk = ZchunkArtifacts.of(announced.filename(), spooled);
            SignatureCheck.Embedded embedded = signatureCheck.embedded(spooled.path());
            store.stage(spooled.path(), id, hashes);
            staged = true;
            Upload received = QuarkusTransaction.requiringNew().call(() -> finishReceiving(id, hashes, embedded,
                    zchunk));
            if (received == null) {
                store.discard(id);
                throw new ProblemException(410, "Gone", "upload " + id + " expired while its bytes arrived");
            }
            return received;
        } catch (StorageFullException e) {
            abandon(id, spooled, staged);
            throw e.about("upload " + id + " (" + announced.filename() + ")");
        } catch (InvalidZchunkException e) {
            abandon(id, spooled, staged);
            throw ZchunkArtifacts.refused("upload " + id + " (" + announced.filename() + ")", e);
        } catch (IOException e) {
            abandon(id, spooled, staged);
            throw new UncheckedIOException("cannot receive upload " + id, e);
        } catch (RuntimeException e) {
            abandon(id, spooled, staged);
            throw e;
        }
    }

    /**
     * An upload a publish may adopt: received and not expired. One already used is returned with its release, so an
     * identical re-publish (a retried CI step) can still be answered; any other use of it is refused by the caller.
     */
    public ReceivedUpload resolve(String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Upload upload = uploads.findByIdOptional(id).orElseThrow(() -> ProblemException.unprocessable(
                    "no upload " + id + " (unknown, or expired and removed)"));
            if (upload.state() != UploadState.USED) {
                requireUsable(upload);
            }
            return new ReceivedUpload(upload.id(), upload.filename(), upload.hashes(),
                    new SignatureCheck.Embedded(upload.swuSigned(), upload.swuSigner()), upload.releaseId(),
                    zchunkIndexes.summary(upload.hashes().sha256()).orElse(null));
        });
    }

    /**
     * Inside the publishing transaction: marks the upload used by {@code releaseId} (row-locked, so two publishes and
     * the expiry sweep cannot both have it) and moves its staged bytes under their sha256.
     */
    public void adopt(String id, String releaseId) {
        Upload upload = uploads.lock(id).orElseThrow(() -> ProblemException.unprocessable(
                "no upload " + id + " (unknown, or expired and removed)"));
        requireUsable(upload);
        upload.usedBy(releaseId);
        try {
            store.adopt(id, upload.hashes().sha256());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot adopt the bytes of upload " + id, e);
        }
    }

    private void requireUsable(Upload upload) {
        if (upload.state() == UploadState.USED) {
            throw ProblemException.conflict("upload " + upload.id() + " was already used by release "
                    + upload.releaseId() + "; an upload can be published once");
        }
        if (upload.expiredAt(Instant.now())) {
            throw new ProblemException(410, "Gone", "upload " + upload.id() + " expired at " + upload.expiresAt()
                    + "; upload the file again");
        }
        if (upload.state() != UploadState.RECEIVED) {
            throw ProblemException.conflict("the bytes of upload " + upload.id() + " have not arrived yet ("
                    + upload.state() + "): PUT them to its uploadUrl first");
        }
    }

    private Upload beginReceiving(String id, String token, Long contentLength) {
        Upload upload = uploads.lock(id).orElseThrow(() -> ProblemException.notFound(
                "no upload " + id + " (unknown, or expired and removed)"));
        if (token == null || !MessageDigest.isEqual(sha256(token).getBytes(StandardCharsets.US_ASCII),
                upload.tokenSha256().getBytes(StandardCharsets.US_ASCII))) {
            throw new ProblemException(403, "Forbidden", "this is not the uploadUrl of upload " + id);
        }
        if (upload.expiredAt(Instant.now())) {
            throw new ProblemException(410, "Gone", "upload " + id + " expired at " + upload.expiresAt());
        }
        if (upload.state() != UploadState.CREATED) {
            throw ProblemException.conflict("upload " + id + " is " + upload.state() + ": its bytes "
                    + (upload.state() == UploadState.RECEIVING ? "are arriving through another request"
                            : "were already received"));
        }
        if (contentLength != null && upload.announcedSize() != null && !contentLength.equals(upload.announcedSize())) {
            throw ProblemException.unprocessable("the PUT sends " + contentLength + " bytes but the upload announced "
                    + upload.announcedSize() + "; nothing was stored");
        }
        upload.beginReceiving();
        return upload;
    }

    private static void check(Upload announced, ArtifactHashes hashes) {
        if (announced.announcedSize() != null && announced.announcedSize() != hashes.size()) {
            throw ProblemException.unprocessable("received " + hashes.size() + " bytes but the upload announced "
                    + announced.announcedSize() + "; nothing was stored");
        }
        if (announced.announcedSha256() != null && !announced.announcedSha256().equals(hashes.sha256())) {
            throw ProblemException.unprocessable("sha256 of " + announced.filename() + " is " + hashes.sha256()
                    + " but the publisher expected " + announced.announcedSha256() + ": the upload is corrupt or not"
                    + " the file CI built; nothing was stored");
        }
    }

    private Upload finishReceiving(String id, ArtifactHashes hashes, SignatureCheck.Embedded embedded,
            ArtifactZchunk zchunk) {
        Upload upload = uploads.lock(id).orElse(null);
        if (upload == null || upload.state() != UploadState.RECEIVING) {
            return null; // removed by the expiry sweep meanwhile
        }
        // received bytes count against the tenant's quota: decided under its row lock, refused → staged bytes discarded
        quota.reserve(hashes.size(), "upload " + id);
        if (zchunk != null) {
            zchunkIndexes.record(hashes.sha256(), zchunk);
        }
        upload.received(hashes, embedded.present(), embedded.signer());
        return upload;
    }

    private void abandon(String id, Spool.SpooledFile spooled, boolean staged) {
        try {
            if (spooled != null) {
                Files.deleteIfExists(spooled.path());
            }
            if (staged) {
                store.discard(id);
            }
        } catch (IOException | RuntimeException e) {
            // the sweep removes what is left once the upload expires
        }
        QuarkusTransaction.requiringNew().run(() -> uploads.lock(id)
                .filter(u -> u.state() == UploadState.RECEIVING).ifPresent(Upload::abandonReceiving));
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
