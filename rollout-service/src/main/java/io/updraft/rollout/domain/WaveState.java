package io.updraft.rollout.domain;

public enum WaveState {
    PENDING, RUNNING, SOAKING, DONE, SKIPPED
}
