package io.updraft.rollout.service;

import io.updraft.rollout.persistence.RolloutRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/**
 * A revoked release is never offered to a device again: every RUNNING or PAUSED rollout of it is aborted, which
 * cancels its open installs (CancelRequested) and announces RolloutAborted, all through the outbox in the caller's
 * transaction. Rollback installs already sent are left alone (they take devices off the release).
 */
@ApplicationScoped
public class ReleaseRevocation {
    @Inject
    RolloutRepository rollouts;
    @Inject
    RolloutControls controls;

    /** @return the ids of the rollouts aborted */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> stopRolloutsOf(String releaseId, String reason) {
        String why = "release " + releaseId + " revoked" + (reason == null || reason.isBlank() ? "" : ": " + reason);
        List<String> aborted = new ArrayList<>();
        for (String rolloutId : rollouts.activeOfRelease(releaseId)) {
            // under the row lock: the rollout may have completed since the query (then there is nothing to stop)
            boolean stillActive = rollouts.lock(rolloutId).map(r -> !r.state.isFinal()).orElse(false);
            if (stillActive) {
                controls.abort(rolloutId, why);
                aborted.add(rolloutId);
            }
        }
        return aborted;
    }
}
