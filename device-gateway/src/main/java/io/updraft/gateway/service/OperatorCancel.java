package io.updraft.gateway.service;

import io.updraft.gateway.domain.ActionStatus;
import io.updraft.gateway.domain.DeviceAction;
import io.updraft.gateway.persistence.DeviceActionRepository;
import io.updraft.gateway.persistence.DeviceRepository;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * An operator cancels one of a device's open actions, by the rules a {@code CancelRequested} follows (hawkBit's): an
 * action the device never fetched (QUEUED, PENDING) is withdrawn at once and reported canceled; one it fetched
 * (RETRIEVED, RUNNING) becomes CANCELING, so its next poll offers {@code cancelAction} and its answer decides. The
 * move and its report are committed (outbox) before the operator gets the answer: a crash afterwards loses nothing.
 */
@ApplicationScoped
public class OperatorCancel {
    private static final Logger LOG = Logger.getLogger(OperatorCancel.class);

    @Inject
    DeviceRepository devices;
    @Inject
    DeviceActionRepository actions;
    @Inject
    ActionQueue queue;

    /**
     * @param actor the subject of the operator's token, recorded on the action and in its ActionCanceled
     * @param reason the operator's reason (validated by the caller), or null
     * @return the action as it stands after the cancel: CANCELED (withdrawn) or CANCELING (the device is asked)
     */
    @Transactional
    public DeviceAction cancel(String tenant, String controllerId, long actionId, String actor, String reason) {
        if (devices.lock(tenant, controllerId).isEmpty()) {
            throw ProblemException.notFound("no device " + controllerId);
        }
        DeviceAction action = actions.ofDevice(tenant, controllerId, actionId)
                .orElseThrow(() -> ProblemException.notFound("device " + controllerId + " has no action " + actionId));
        ActionStatus before = action.status;
        if (before == ActionStatus.CANCELING) {
            return action; // asked already: the device's answer is still to come
        }
        if (before.isTerminal()) {
            throw ProblemException.conflict("action " + actionId + " of device " + controllerId + " is " + before
                    + ": only an open action can be canceled");
        }
        // kept on the action: the ActionCanceled that ends it, now or when the device answers, carries them
        action.cancelRequestedBy = actor;
        action.cancelReason = reason;
        if (before == ActionStatus.QUEUED || before == ActionStatus.PENDING) {
            queue.withdraw(action);
        } else if (!queue.move(action, ActionStatus.Trigger.REQUEST_CANCEL)) {
            throw ProblemException.conflict("action " + actionId + " of device " + controllerId + " is " + before
                    + ": only an open action can be canceled");
        }
        LOG.infof("action %d of device %s: %s -> %s, canceled by %s (%s)", actionId, controllerId, before,
                action.status, actor, reason == null ? "no reason given" : "reason given");
        return action;
    }
}
