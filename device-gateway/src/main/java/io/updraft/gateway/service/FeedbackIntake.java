package io.updraft.gateway.service;

import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceReport;
import io.updraft.gateway.domain.ActionReports;
import io.updraft.gateway.domain.ActionStatus;
import io.updraft.gateway.domain.Device;
import io.updraft.gateway.domain.DeviceAction;
import io.updraft.gateway.domain.Feedback;
import io.updraft.gateway.persistence.ActionBytesServedRepository;
import io.updraft.gateway.persistence.DeviceActionRepository;
import io.updraft.gateway.persistence.DeviceRepository;
import io.updraft.support.outbox.Outbox;
import io.updraft.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;

/** What a device tells about its actions: it fetched one, it progresses, it finished, it accepted a cancel. */
@ApplicationScoped
public class FeedbackIntake {
    static final String CANCEL_REJECTED = "cancel-rejected";

    @Inject
    DeviceRepository devices;
    @Inject
    DeviceActionRepository actions;
    @Inject
    ActionQueue queue;
    @Inject
    Outbox outbox;
    @Inject
    ActionExpiry expiry;
    @Inject
    ActionBytesServedRepository bytesServed;

    /**
     * The device fetches deploymentBase: only its current action is served, and not once it expired.
     *
     * @return empty when the action expired just now (committed, so the caller answers 404 after the transaction)
     */
    @Transactional
    public Optional<DeviceAction> retrieve(String tenant, String controllerId, long actionId) {
        Device device = devices.lock(tenant, controllerId).orElseThrow(() -> notFound(actionId));
        DeviceAction action = actions.ofDevice(tenant, controllerId, actionId).orElseThrow(() -> notFound(actionId));
        if (!action.status.isCurrent() || action.needsConfirmation(device.autoConfirm)) {
            throw notFound(actionId); // an action waiting for confirmation is offered under confirmationBase only
        }
        if (expiry.expire(device, action, Instant.now())) {
            return Optional.empty();
        }
        queue.move(action, ActionStatus.Trigger.RETRIEVE);
        return Optional.of(action);
    }

    /** A previously finished action (hawkBit's installedBase): only a FINISHED action of this device. */
    @Transactional
    public DeviceAction installed(String tenant, String controllerId, long actionId) {
        return actions.ofDevice(tenant, controllerId, actionId)
                .filter(action -> action.status == ActionStatus.FINISHED)
                .orElseThrow(() -> ProblemException.notFound("action " + actionId + " is not installed on this device"));
    }

    @Transactional
    public void deploymentFeedback(String tenant, String controllerId, long actionId, Feedback feedback) {
        DeviceAction action = lockedAction(tenant, controllerId, actionId);
        if (action.status == ActionStatus.QUEUED) {
            throw notFound(actionId);
        }
        if (action.status.isTerminal()) {
            return; // a repeated or late report: the outcome was told once already
        }
        InstallRequested command = action.install();
        switch (feedback.execution()) {
            case CLOSED -> {
                // As hawkBit: closed is a success unless the device says failure.
                boolean failed = feedback.result() == Feedback.Result.FAILURE;
                queue.move(action, failed ? ActionStatus.Trigger.FAIL : ActionStatus.Trigger.SUCCEED);
                outbox.append(tenant, ActionReports.finished(command,
                        failed ? DeviceReport.Outcome.FAILURE : DeviceReport.Outcome.SUCCESS, feedback.details(),
                        action.installedAt != null).withBytesServed(bytesServed.of(tenant, actionId)));
            }
            case CANCELED -> {
                queue.move(action, ActionStatus.Trigger.CONFIRM_CANCEL);
                outbox.append(tenant, ActionReports.canceled(action));
            }
            case REJECTED -> outbox.append(tenant, ActionReports.progressed(command, feedback.execution().ddiName(),
                    feedback.details()));
            default -> {
                if (action.installedAt == null && feedback.reportsInstalled()) {
                    action.installedAt = Instant.now();
                }
                queue.move(action, ActionStatus.Trigger.PROGRESS);
                outbox.append(tenant, ActionReports.progressed(command, feedback.execution().ddiName(), feedback.details()));
            }
        }
    }

    /** The device fetches cancelAction: only a cancel being offered is served. */
    @Transactional
    public DeviceAction cancelToOffer(String tenant, String controllerId, long actionId) {
        DeviceAction action = actions.ofDevice(tenant, controllerId, actionId).orElseThrow(() -> notFound(actionId));
        if (!action.status.offersCancel()) {
            throw notFound(actionId);
        }
        return action;
    }

    @Transactional
    public void cancelFeedback(String tenant, String controllerId, long actionId, Feedback feedback) {
        DeviceAction action = lockedAction(tenant, controllerId, actionId);
        if (action.status.isTerminal()) {
            return; // repeated acknowledgement, or the action ended before the device saw the cancel
        }
        if (!action.status.offersCancel()) {
            throw ProblemException.notFound("no cancel is pending for action " + actionId);
        }
        InstallRequested command = action.install();
        boolean accepted = (feedback.execution() == Feedback.Execution.CLOSED
                || feedback.execution() == Feedback.Execution.CANCELED)
                && feedback.result() != Feedback.Result.FAILURE;
        boolean refused = feedback.execution() == Feedback.Execution.REJECTED
                || (feedback.execution() == Feedback.Execution.CLOSED && feedback.result() == Feedback.Result.FAILURE);
        if (accepted) {
            queue.move(action, ActionStatus.Trigger.CONFIRM_CANCEL);
            outbox.append(tenant, ActionReports.canceled(action));
        } else if (refused) {
            queue.move(action, ActionStatus.Trigger.REJECT_CANCEL);
            outbox.append(tenant, ActionReports.progressed(command, CANCEL_REJECTED, feedback.details()));
        }
        // anything else is the device saying it is working on the cancel: nothing to decide yet
    }

    private DeviceAction lockedAction(String tenant, String controllerId, long actionId) {
        devices.lock(tenant, controllerId).orElseThrow(() -> notFound(actionId));
        return actions.ofDevice(tenant, controllerId, actionId).orElseThrow(() -> notFound(actionId));
    }

    public static ProblemException notFound(long actionId) {
        return ProblemException.notFound("action " + actionId + " is not pending for this device");
    }
}
