package io.updraft.rollout.domain;

/** What can happen to a rollout as a whole: operator controls and the rollout's own decisions. */
public enum RolloutCommand {
    PAUSE, RESUME, ABORT, COMPLETE,
    /** the next wave needs an operator's approval before it starts */
    AWAIT_APPROVAL,
    /** an operator approved the wave the rollout waits for */
    APPROVE,
    /** a scheduled rollout reached its start time */
    START
}
