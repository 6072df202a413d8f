package io.updraft.rollout.domain;

/**
 * What a soaked wave whose failure ratio exceeds its error threshold does to the rollout: PAUSE it (the operator may
 * resume, accepting the wave's failures) or ABORT it (the operator's abort: open installs canceled, RolloutAborted).
 */
public enum ErrorAction {
    PAUSE,
    ABORT
}
