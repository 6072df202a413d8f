package io.updraft.gateway.action;

import io.updraft.events.DeviceCommand.CancelRequested;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.gateway.mapping.ActionReports;
import io.updraft.gateway.repository.DeviceAction;
import io.updraft.gateway.repository.DeviceActionRepository;
import io.updraft.gateway.repository.DeviceRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Applies the rollout-service's commands to a device's actions (supersede, cancel), under the device row lock. */
@ApplicationScoped
public class CommandIntake {
    private static final Logger LOG = Logger.getLogger(CommandIntake.class);

    @Inject
    DeviceRepository devices;
    @Inject
    DeviceActionRepository actions;
    @Inject
    ActionQueue queue;
    @Inject
    Outbox outbox;

    /**
     * A new action supersedes whatever the device has not finished: an action it never fetched is withdrawn at
     * once; one it is working on gets a cancel offered first, and the new action waits behind it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void install(InstallRequested command) {
        if (command.maintenanceWindow() != null) {
            // A window the gateway cannot evaluate would be a window never honoured: the command goes to the DLQ.
            MaintenanceSchedule.of(command.maintenanceWindow());
        }
        devices.lockOrCreate(command.deviceId());
        if (actions.findByIdOptional(command.actionId()).isPresent()) {
            LOG.debugf("action %d already known, command %s ignored", command.actionId(), command.eventId());
            return;
        }
        if (ActionExpiry.isDue(command.expiresAt(), Instant.now())) {
            // Expired on arrival (e.g. a backlog drained late): recorded and reported, and it supersedes nothing.
            queue.enqueue(command, ActionStatus.EXPIRED);
            outbox.append(ActionReports.expired(command));
            return;
        }
        actions.queued(command.deviceId()).ifPresent(queue::withdraw);
        Optional<DeviceAction> current = actions.current(command.deviceId());
        if (current.isEmpty()) {
            queue.enqueue(command, ActionStatus.PENDING);
            return;
        }
        DeviceAction superseded = current.get();
        if (superseded.status == ActionStatus.PENDING) {
            queue.withdraw(superseded);
            queue.enqueue(command, ActionStatus.PENDING);
        } else {
            queue.move(superseded, ActionStatus.Trigger.REQUEST_CANCEL);
            queue.enqueue(command, ActionStatus.QUEUED);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void cancel(CancelRequested command) {
        if (devices.lock(command.deviceId()).isEmpty()) {
            LOG.debugf("cancel of action %d for unknown device %s ignored", command.actionId(), command.deviceId());
            return;
        }
        actions.ofDevice(command.deviceId(), command.actionId()).ifPresent(action -> {
            if (action.status == ActionStatus.QUEUED || action.status == ActionStatus.PENDING) {
                queue.withdraw(action);
            } else {
                // Ignored when already canceling or over: the device's own report tells the outcome.
                queue.move(action, ActionStatus.Trigger.REQUEST_CANCEL);
            }
        });
    }
}
