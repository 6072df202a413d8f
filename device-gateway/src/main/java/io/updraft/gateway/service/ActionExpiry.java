package io.updraft.gateway.service;

import io.updraft.gateway.domain.ActionReports;
import io.updraft.gateway.domain.ActionStatus;
import io.updraft.gateway.domain.DeviceAction;
import io.updraft.gateway.domain.Expiry;
import io.updraft.gateway.persistence.DeviceActionRepository;
import io.updraft.gateway.persistence.DeviceRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Actions past their {@code expiresAt}: no longer offered, reported once as ActionExpired. Applied when a device asks
 * (poll, deploymentBase), so a device back after days is told nothing even between sweeps, and by {@link ExpirySweep}
 * for devices that never come back.
 */
@ApplicationScoped
public class ActionExpiry {
    @Inject
    DeviceRepository devices;
    @Inject
    DeviceActionRepository actions;
    @Inject
    ActionQueue queue;
    @Inject
    Outbox outbox;

    /** @return true if the action expired now or had already expired */
    @Transactional
    public boolean expireIfDue(String controllerId, long actionId, Instant now) {
        if (devices.lock(controllerId).isEmpty()) {
            return false;
        }
        return actions.ofDevice(controllerId, actionId)
                .map(action -> action.status == ActionStatus.EXPIRED || expire(action, now))
                .orElse(false);
    }

    /** Caller holds the device row lock. @return true if the action expired now */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean expire(DeviceAction action, Instant now) {
        if (!Expiry.isDue(action.expiresAt, now) || !queue.move(action, ActionStatus.Trigger.EXPIRE)) {
            return false;
        }
        outbox.append(ActionReports.expired(action.install()));
        return true;
    }

    /**
     * Expires up to {@code limit} due actions. Their devices' rows are locked first, as every other writer does;
     * devices busy in another transaction (or another replica's sweep) are skipped and taken by the next sweep.
     *
     * @return how many due actions this batch found
     */
    @Transactional
    public int sweepBatch(Instant now, int limit) {
        List<Number> due = actions.lockDue(now, limit);
        for (Number actionId : due) {
            expire(actions.findById(actionId.longValue()), now);
        }
        return due.size();
    }
}
