package io.updraft.rollout.domain;

/**
 * A wave's life: PENDING → RUNNING → SOAKING → DONE, or SKIPPED when it has no device in an active cohort when its
 * turn comes. Aborting the rollout ends every wave that has not ended yet (PENDING, RUNNING, SOAKING) as ABORTED — the
 * waves that never started too: SKIPPED keeps its one meaning (nothing left to send), ABORTED says the rollout stopped
 * before the wave could end.
 */
public enum WaveState {
    PENDING, RUNNING, SOAKING, DONE, SKIPPED, ABORTED;

    /** @return the state the wave ends in when its rollout is aborted (itself if it has ended already) */
    public WaveState onAbort() {
        return hasEnded() ? this : ABORTED;
    }

    public boolean hasEnded() {
        return this == DONE || this == SKIPPED || this == ABORTED;
    }
}
