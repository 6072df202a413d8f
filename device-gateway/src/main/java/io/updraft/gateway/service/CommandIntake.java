package io.updraft.gateway.service;

import io.updraft.events.DeviceCommand.CancelRequested;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceCommand;
import io.updraft.gateway.domain.ActionReports;
import io.updraft.gateway.domain.ActionStatus;
import io.updraft.gateway.domain.DeviceAction;
import io.updraft.gateway.domain.Expiry;
import io.updraft.gateway.domain.IntakePlan;
import io.updraft.gateway.domain.MaintenanceSchedule;
import io.updraft.gateway.persistence.DeviceActionRepository;
import io.updraft.gateway.persistence.DeviceRepository;
import io.updraft.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Applies the rollout-service's commands to the devices' actions (supersede, cancel), under the device row locks:
 * a polled batch at a time with a handful of set-based statements ({@link #applyAll}), or one command at a time
 * ({@link #install}, {@link #cancel}) when a batch failed and its records are retried alone.
 */
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
    @Inject
    DeviceChanges changes;
    @Inject
    DeltaLinks deltaLinks;

    /**
     * A polled batch of commands (first deliveries, in offset order, maintenance windows already checked), with the
     * same outcome as {@link #install} / {@link #cancel} one by one: the batch's devices are created or locked by one
     * statement (in id order), their open actions and the actions the commands name read by one query, every
     * command decided in memory in order ({@link IntakePlan}), then the changed actions updated by at most two
     * statements, the new ones inserted by one, the reports written to the outbox in one JDBC batch and every
     * changed device notified by one statement.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyAll(String tenant, List<? extends DeviceCommand> commands) {
        if (commands.isEmpty()) {
            return;
        }
        Set<String> installed = new HashSet<>();
        Set<String> canceled = new HashSet<>();
        Set<Long> actionIds = new HashSet<>();
        for (DeviceCommand command : commands) {
            (command instanceof InstallRequested ? installed : canceled).add(command.deviceId());
            actionIds.add(command.actionId());
        }
        canceled.removeAll(installed);
        // a cancel does not create an unknown device; an install may (not held to the device quota: rollout-service
        // names devices this gateway reported, and a command cannot be answered with a 409)
        devices.lockOrCreateAll(tenant, installed, canceled);
        Set<String> batchDevices = new LinkedHashSet<>(installed);
        batchDevices.addAll(canceled);
        IntakePlan plan = new IntakePlan(tenant, actions.openOrKnown(tenant, batchDevices, actionIds), Instant.now());
        commands.forEach(plan::apply);
        actions.updateAll(tenant, plan.leaving());
        actions.updateAll(tenant, plan.entering());
        actions.insertAll(tenant, plan.created());
        outbox.appendAll(tenant, plan.reports());
        changes.changed(tenant, plan.changedDevices());
        deltaLinks.recordSources(tenant, commands.stream().filter(InstallRequested.class::isInstance)
                .map(InstallRequested.class::cast).toList());
        LOG.debugf("%d commands applied: %d new actions, %d changed, %d devices notified", commands.size(),
                plan.created().size(), plan.leaving().size() + plan.entering().size(), plan.changedDevices().size());
    }

    /**
     * A new action supersedes whatever the device has not finished: an action it never fetched is withdrawn at
     * once; one it is working on gets a cancel offered first, and the new action waits behind it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void install(String tenant, InstallRequested command) {
        if (command.maintenanceWindow() != null) {
            // A window the gateway cannot evaluate would be a window never honoured: the command goes to the DLQ.
            MaintenanceSchedule.of(command.maintenanceWindow());
        }
        // not held to the device quota: rollout-service names devices this gateway reported (as lockOrCreateAll)
        devices.lockOrCreate(tenant, command.deviceId(), null);
        deltaLinks.recordSources(tenant, List.of(command));
        if (actions.byId(tenant, command.actionId()).isPresent()) {
            LOG.debugf("action %d already known, command %s ignored", command.actionId(), command.eventId());
            return;
        }
        if (Expiry.isDue(command.expiresAt(), Instant.now())) {
            // Expired on arrival (e.g. a backlog drained late): recorded and reported, and it supersedes nothing.
            queue.enqueue(tenant, command, ActionStatus.EXPIRED);
            outbox.append(tenant, ActionReports.expired(command));
            return;
        }
        actions.queued(tenant, command.deviceId()).ifPresent(queue::withdraw);
        Optional<DeviceAction> current = actions.current(tenant, command.deviceId());
        if (current.isEmpty()) {
            queue.enqueue(tenant, command, ActionStatus.PENDING);
            return;
        }
        DeviceAction superseded = current.get();
        if (superseded.status == ActionStatus.PENDING) {
            queue.withdraw(superseded);
            queue.enqueue(tenant, command, ActionStatus.PENDING);
        } else {
            queue.move(superseded, ActionStatus.Trigger.REQUEST_CANCEL);
            queue.enqueue(tenant, command, ActionStatus.QUEUED);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void cancel(String tenant, CancelRequested command) {
        if (devices.lock(tenant, command.deviceId()).isEmpty()) {
            LOG.debugf("cancel of action %d for unknown device %s ignored", command.actionId(), command.deviceId());
            return;
        }
        actions.ofDevice(tenant, command.deviceId(), command.actionId()).ifPresent(action -> {
            if (action.status == ActionStatus.QUEUED || action.status == ActionStatus.PENDING) {
                queue.withdraw(action);
            } else {
                // Ignored when already canceling or over: the device's own report tells the outcome.
                queue.move(action, ActionStatus.Trigger.REQUEST_CANCEL);
            }
        });
    }
}
