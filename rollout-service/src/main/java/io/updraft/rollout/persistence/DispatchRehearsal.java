package io.updraft.rollout.persistence;

import io.updraft.rollout.persistence.DispatchTurn.Install;
import io.updraft.rollout.persistence.DispatchTurn.Wave;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import org.hibernate.Session;

/**
 * The command dispatcher's statements for a wave started in the caller's transaction, as its first two turns run them
 * (read and lock the wave's dispatch row, create the chunk, read it back), on the caller's connection: the start-up
 * rehearsal ({@code StartupWarmUp}) runs them in a transaction it rolls back, so nothing of them stays.
 */
@ApplicationScoped
public class DispatchRehearsal {
    @Inject
    EntityManager entityManager;
    @Inject
    io.updraft.support.tenant.Tenants tenants;

    /**
     * @return wave 1's dispatch row as the dispatcher reads it and the installs the rehearsal created for it (none if
     *         the rollout has no wave 1 sending); other rollouts' dispatch rows are not read, so not locked
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Rehearsed firstChunk(String rolloutId, int limit) {
        entityManager.flush();
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            DispatchTurn turn = new DispatchTurn(connection);
            turn.customPlans();
            Wave wave = turn.wave(tenants.current(), rolloutId, 1);
            if (wave == null) {
                return new Rehearsed(null, List.of());
            }
            // turn 1: create the chunk, move the cursors past it; turn 2: read what turn 1 created
            DispatchTurn.Created created = turn.createNextChunk(wave, limit);
            turn.moveCursors(wave, wave.lastActionId(), created.lastDeviceId(), created.scanned() < limit, 0,
                    created.maxActionId());
            Wave next = turn.wave(tenants.current(), rolloutId, 1);
            return new Rehearsed(next, turn.createdInstalls(next, limit));
        });
    }

    /** The wave as the dispatcher read it, and its installs. */
    public record Rehearsed(Wave wave, List<Install> installs) {
    }
}
