package io.updraft.rollout.domain;

/** Which waves wait for an operator's approval, besides those flagged one by one in the wave list. */
public enum ApprovalPolicy {
    /** no wave (but the flagged ones) */
    NONE,
    /** every wave, the first one included */
    BEFORE_EACH_WAVE,
    /** every wave after the first (canary) one */
    BEFORE_LATER_WAVES;

    public boolean requires(int wave) {
        return this == BEFORE_EACH_WAVE || (this == BEFORE_LATER_WAVES && wave > 1);
    }
}
