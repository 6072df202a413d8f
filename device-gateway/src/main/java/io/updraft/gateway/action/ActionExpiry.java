package io.updraft.gateway.action;

import io.updraft.gateway.mapping.ActionReports;
import io.updraft.gateway.repository.DeviceAction;
import io.updraft.gateway.repository.DeviceActionRepository;
import io.updraft.gateway.repository.DeviceRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
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
    @Inject
    EntityManager entityManager;

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
        if (!isDue(action.expiresAt, now) || !queue.move(action, ActionStatus.Trigger.EXPIRE)) {
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
        @SuppressWarnings("unchecked")
        List<Number> due = entityManager.createNativeQuery("""
                select a.action_id from device_action a join device d on d.controller_id = a.controller_id
                where a.expires_at <= ?1 and a.status in ('QUEUED', 'PENDING', 'RETRIEVED')
                order by a.expires_at limit ?2
                for update of d skip locked""")
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
        for (Number actionId : due) {
            expire(actions.findById(actionId.longValue()), now);
        }
        return due.size();
    }

    public static boolean isDue(Instant expiresAt, Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
