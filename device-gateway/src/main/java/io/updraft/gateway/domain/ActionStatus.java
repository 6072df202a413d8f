package io.updraft.gateway.domain;

import java.util.Optional;

/**
 * Where a device's action stands. The device sees at most one "current" action (PENDING..CANCELING); a newer one
 * waits as QUEUED while the current one is being canceled. All transitions live in {@link #next}.
 */
public enum ActionStatus {
    /** Waiting behind an action whose cancel is being offered. */
    QUEUED,
    /** Offered through the poll, deploymentBase not fetched yet (can still be withdrawn silently). */
    PENDING,
    /** The device fetched deploymentBase. */
    RETRIEVED,
    /** The device reported progress. */
    RUNNING,
    /** A cancel is offered through cancelAction. */
    CANCELING,
    FINISHED,
    FAILED,
    CANCELED,
    /** Its {@code expiresAt} passed before the device started on it: no longer offered. */
    EXPIRED,
    /** The device denied an action that required its confirmation (hawkBit's confirmation feedback "denied"). */
    DENIED;

    public enum Trigger {
        /** The action in front of a queued one ended. */
        PROMOTE,
        /** The device fetched deploymentBase. */
        RETRIEVE,
        /** Intermediate feedback (proceeding, download, ...). */
        PROGRESS,
        /** A cancel or supersede reached an action the device already knows about. */
        REQUEST_CANCEL,
        /** A cancel or supersede reached an action the device never fetched: withdrawn at once. */
        WITHDRAW,
        /** The device confirmed a cancel (or canceled on its own). */
        CONFIRM_CANCEL,
        /** The device refused the cancel and carries on. */
        REJECT_CANCEL,
        SUCCEED,
        FAIL,
        /**
         * The action's {@code expiresAt} passed. Only an action the device has not started on expires; one it reported
         * progress on runs to its end, because the device's outcome is worth more than the deadline.
         */
        EXPIRE,
        /** The device denied the action it was asked to confirm (only offered, never fetched, so only PENDING). */
        DENY
    }

    /** @return the status after {@code trigger}, or empty when the trigger does not apply in this status */
    public Optional<ActionStatus> next(Trigger trigger) {
        ActionStatus next = switch (trigger) {
            case PROMOTE -> this == QUEUED ? PENDING : null;
            case RETRIEVE -> this == PENDING ? RETRIEVED : isCurrent() ? this : null;
            case PROGRESS -> this == PENDING || this == RETRIEVED || this == RUNNING ? RUNNING
                    : this == CANCELING ? CANCELING : null;
            case REQUEST_CANCEL -> this == RETRIEVED || this == RUNNING ? CANCELING : null;
            case WITHDRAW -> this == QUEUED || this == PENDING ? CANCELED : null;
            case CONFIRM_CANCEL -> isCurrent() ? CANCELED : null;
            case REJECT_CANCEL -> this == CANCELING ? RUNNING : null;
            case SUCCEED -> isCurrent() ? FINISHED : null;
            case FAIL -> isCurrent() ? FAILED : null;
            case EXPIRE -> this == QUEUED || this == PENDING || this == RETRIEVED ? EXPIRED : null;
            case DENY -> this == PENDING ? DENIED : null;
        };
        return Optional.ofNullable(next);
    }

    /** The one action the device sees. */
    public boolean isCurrent() {
        return this == PENDING || this == RETRIEVED || this == RUNNING || this == CANCELING;
    }

    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == CANCELED || this == EXPIRED || this == DENIED;
    }

    public boolean offersDeployment() {
        return this == PENDING || this == RETRIEVED || this == RUNNING;
    }

    public boolean offersCancel() {
        return this == CANCELING;
    }
}
