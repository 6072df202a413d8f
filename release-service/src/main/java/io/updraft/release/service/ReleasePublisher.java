package io.updraft.release.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.updraft.release.domain.Release;
import io.updraft.release.domain.ReleaseState;
import io.updraft.release.messaging.ReleaseEvents;
import io.updraft.release.persistence.ArtifactRepository;
import io.updraft.release.persistence.ReleaseRepository;
import io.updraft.release.persistence.ZchunkIndexRepository;
import io.updraft.release.domain.ReleaseSnapshot;
import io.updraft.release.service.ReleaseDraft.DraftArtifact;
import io.updraft.release.service.storage.ArtifactStore;
import io.updraft.release.service.storage.StorageFullException;
import io.updraft.support.outbox.Outbox;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Publishes a release: bytes into the store first, then the release rows and its {@code ReleasePublished} event in
 * one transaction. In that order a crash can leave at worst an unreferenced blob, never a release whose bytes are
 * missing. Artifacts from two-step uploads are adopted inside that transaction: the upload row is locked and marked
 * used, and its staged bytes are moved under their sha256 (idempotently, so a rolled-back attempt can be retried). Publishing the same name+version again is idempotent when the files are identical and a conflict
 * otherwise; the unique (name, version) constraint settles races between replicas. The tenant's artifact-storage quota
 * is checked before the bytes are stored and decided again, under the tenant row's lock, in the recording transaction
 * ({@link ArtifactQuota}): a publish that loses that race is a 409 whose blob, like a crash's, is left unreferenced.
 */
@ApplicationScoped
public class ReleasePublisher {
    @Inject
    ReleaseRepository releases;
    @Inject
    ArtifactRepository artifacts;
    @Inject
    ReleaseCatalog catalog;
    @Inject
    ArtifactStore store;
    @Inject
    Outbox outbox;
    @Inject
    ArtifactUploads uploads;
    @Inject
    ZchunkIndexRepository zchunkIndexes;
    @Inject
    ArtifactQuota quota;

    public Publication publish(ReleaseDraft draft) {
        Optional<Publication> settled = settleAgainstExisting(draft);
        if (settled.isPresent()) {
            return settled.get();
        }
        for (DraftArtifact artifact : draft.artifacts()) {
            if (artifact.usedByRelease() != null) {
                throw ProblemException.conflict("upload " + artifact.uploadId() + " was already used by release "
                        + artifact.usedByRelease() + "; an upload can be published once");
            }
        }
        // the tenant's artifact-storage quota: refused before a byte is stored, decided under its row lock below
        long newBytes = newBytes(draft);
        String what = "release " + draft.name() + " " + draft.version();
        quota.precheck(newBytes, what);
        storeBytes(draft);
        try {
            return new Publication(QuarkusTransaction.requiringNew().call(() -> {
                quota.reserve(newBytes, what);
                return record(draft);
            }), true);
        } catch (RuntimeException e) {
            // most likely a concurrent publish of the same name+version won the unique constraint
            return settleAgainstExisting(draft).orElseThrow(() -> e);
        }
    }

    private Optional<Publication> settleAgainstExisting(ReleaseDraft draft) {
        return catalog.findByNameAndVersion(draft.name(), draft.version()).map(existing -> {
            draft.differenceFrom(existing).ifPresent(difference -> {
                throw ProblemException.conflict("release " + draft.name() + " " + draft.version()
                        + " already exists with " + difference + " (" + existing.id() + ")");
            });
            return new Publication(existing, false);
        });
    }

    /**
     * The bytes this publish adds to the tenant's storage: its file parts. A two-step upload's bytes were counted when
     * they were received and are only adopted here.
     */
    private static long newBytes(ReleaseDraft draft) {
        long bytes = 0;
        for (DraftArtifact artifact : draft.artifacts()) {
            if (artifact.spooledFile() != null) {
                bytes += artifact.hashes().size();
            }
        }
        return bytes;
    }

    private void storeBytes(ReleaseDraft draft) {
        for (DraftArtifact artifact : draft.artifacts()) {
            if (artifact.spooledFile() == null) {
                continue; // a two-step upload: staged already, adopted with the release rows
            }
            try {
                store.put(artifact.spooledFile(), artifact.hashes());
            } catch (StorageFullException e) {
                throw e.about("release " + draft.name() + " " + draft.version() + ", artifact " + artifact.filename());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store artifact " + artifact.filename(), e);
            }
        }
    }

    private ReleaseSnapshot record(ReleaseDraft draft) {
        // microseconds: what PostgreSQL keeps, so this response and a later GET show the same instant
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Release release = new Release(UUID.randomUUID().toString(), draft.name(), draft.version(),
                draft.initialState(), draft.notes(), draft.minInstalledVersion(), draft.labels(), draft.hardware(), now);
        releases.persist(release);
        // the release row first: its unique (name, version) check fails here, before any artifact is written
        releases.flush();
        for (DraftArtifact artifact : draft.artifacts()) {
            if (artifact.uploadId() != null) {
                uploads.adopt(artifact.uploadId(), release.id());
            }
        }
        for (DraftArtifact artifact : draft.artifacts()) {
            // identity ids: each insert runs now, so the event below carries the artifacts' database ids
            artifacts.persist(release.addArtifact(artifact.part(), artifact.filename(), artifact.hashes(),
                    artifact.signedBy(), artifact.zchunk(), artifact.role()));
            if (artifact.zchunk() != null) {
                zchunkIndexes.record(artifact.hashes().sha256(), artifact.zchunk());
            }
        }
        if (release.state() == ReleaseState.PUBLISHED) {
            outbox.append(ReleaseEvents.toPublished(release));
        }
        return ReleaseSnapshot.of(release);
    }
}
