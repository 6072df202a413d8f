package io.updraft.rollout.domain;

import java.util.Set;

/** One device action. SCHEDULED: InstallRequested sent; RUNNING: the device reported progress. */
public enum ActionState {
    SCHEDULED, RUNNING, SUCCEEDED, FAILED, CANCELED;

    public static final Set<ActionState> TERMINAL = Set.of(SUCCEEDED, FAILED, CANCELED);

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }
}
