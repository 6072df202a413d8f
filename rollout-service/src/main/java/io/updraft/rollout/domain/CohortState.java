package io.updraft.rollout.domain;

public enum CohortState {
    ACTIVE, ROLLED_BACK
}
