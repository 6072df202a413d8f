package io.updraft.rollout.domain;

/** What can happen to a rollout as a whole: operator controls and the rollout's own decisions. */
public enum RolloutCommand {
    PAUSE, RESUME, ABORT, COMPLETE
}
