package io.updraft.rollout.domain;

import java.util.Set;

/**
 * One device action. SCHEDULED: InstallRequested sent; RUNNING: the device reported progress; EXPIRED: its
 * {@code expiresAt} passed before the device took it (the gateway reported ActionExpired) — counted like CANCELED;
 * RETRIED: the attempt failed within the rollout's retry budget and a new action (the next attempt) was sent — it
 * counts neither as failed nor as finished.
 */
public enum ActionState {
    SCHEDULED, RUNNING, SUCCEEDED, FAILED, CANCELED, EXPIRED, RETRIED;

    public static final Set<ActionState> TERMINAL = Set.of(SUCCEEDED, FAILED, CANCELED, EXPIRED, RETRIED);

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }
}
