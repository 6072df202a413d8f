package io.updraft.rollout.domain;

import java.util.Set;

/**
 * One device action. SCHEDULED: InstallRequested sent; RUNNING: the device reported progress; CANCELING: a cancel was
 * sent (abort, cohort rollback) and the device has not answered — as in hawkBit it ends CANCELED when the device
 * confirms it, or SUCCEEDED/FAILED when the device rejected it or finished first; EXPIRED: its {@code expiresAt}
 * passed before the device took it (the gateway reported ActionExpired) — counted like CANCELED; RETRIED: the attempt
 * failed within the rollout's retry budget and a new action (the next attempt) was sent — it counts neither as failed
 * nor as finished; DENIED: the device refused an install that required its confirmation (ActionDenied) — counted
 * like CANCELED for the wave's progress (ended, never failed) and shown on its own.
 */
public enum ActionState {
    SCHEDULED, RUNNING, CANCELING, SUCCEEDED, FAILED, CANCELED, EXPIRED, RETRIED, DENIED;

    public static final Set<ActionState> TERMINAL = Set.of(SUCCEEDED, FAILED, CANCELED, EXPIRED, RETRIED, DENIED);

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }
}
