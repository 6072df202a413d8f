package io.updraft.release.service;

import io.updraft.release.domain.Release;
import io.updraft.release.domain.ReleaseState;
import io.updraft.release.messaging.ReleaseEvents;
import io.updraft.release.persistence.ReleaseRepository;
import io.updraft.release.domain.ReleaseSnapshot;
import io.updraft.support.outbox.Outbox;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Moves a release along {@link ReleaseState}: each move and its event ({@code ReleasePublished},
 * {@code ReleaseMarkedStable}, {@code ReleaseRevoked}) are one transaction through the outbox. Asking for the state
 * the release is already in answers the release unchanged and writes no event (a retried CI step is harmless); a
 * move the state machine forbids is a 409.
 */
@ApplicationScoped
public class ReleaseLifecycle {
    @Inject
    ReleaseRepository releases;
    @Inject
    Outbox outbox;

    @Transactional
    public ReleaseSnapshot publishDraft(String id) {
        return move(id, ReleaseState.PUBLISHED, null);
    }

    @Transactional
    public ReleaseSnapshot promote(String id) {
        return move(id, ReleaseState.STABLE, null);
    }

    @Transactional
    public ReleaseSnapshot revoke(String id, String reason) {
        return move(id, ReleaseState.REVOKED, reason == null || reason.isBlank() ? "revoked" : reason.strip());
    }

    private ReleaseSnapshot move(String id, ReleaseState next, String reason) {
        Release release = releases.lock(id).orElseThrow(() -> ProblemException.notFound("no release " + id));
        if (release.state() == next) {
            return ReleaseSnapshot.of(release);
        }
        if (!release.state().canBecome(next)) {
            throw ProblemException.conflict("release " + release.name() + " " + release.version() + " is "
                    + release.state() + ": it cannot become " + next);
        }
        release.moveTo(next, reason, Instant.now().truncatedTo(ChronoUnit.MICROS));
        outbox.append(switch (next) {
            case PUBLISHED -> ReleaseEvents.toPublished(release);
            case STABLE -> ReleaseEvents.toMarkedStable(release);
            case REVOKED -> ReleaseEvents.toRevoked(release);
            case DRAFT -> throw new IllegalStateException("nothing becomes a draft");
        });
        return ReleaseSnapshot.of(release);
    }
}
