package io.updraft.gateway.domain;

import io.updraft.events.DeviceCommand.CancelRequested;
import io.updraft.events.DeviceCommand.InstallRequested;
import io.updraft.events.DeviceCommand;
import io.updraft.events.UpdraftEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a polled batch of commands does to the devices' actions, decided in memory, one command at a time in offset
 * order, with exactly the rules {@code CommandIntake.install} and {@code CommandIntake.cancel} apply to one command
 * (the transitions are {@link ActionStatus}'s): so several commands for one device in one batch end as they would
 * have one by one. It starts from the open actions of the batch's devices and every action whose id a command names,
 * and yields the writes: the actions to update (in an order the one-current/one-queued indexes accept), the new
 * actions in their final state, the reports and the devices whose poll view changed. No I/O here.
 */
public final class IntakePlan {
    private final Instant now;
    private Instant clock;
    private final String tenant;
    private final Map<Long, DeviceAction> known = new HashMap<>();
    private final Map<String, DeviceAction> current = new HashMap<>();
    private final Map<String, DeviceAction> queued = new HashMap<>();
    private final Set<Long> stored = new LinkedHashSet<>();
    private final List<DeviceAction> created = new ArrayList<>();
    private final Set<DeviceAction> moved = new LinkedHashSet<>();
    private final List<UpdraftEvent> reports = new ArrayList<>();
    private final Set<String> changed = new LinkedHashSet<>();

    /**
     * @param stored the open actions of every device the batch names and every stored action whose id it names
     * @param now the batch's "now": expiry is judged against it, and each change is stamped a microsecond after the
     *     previous one so the actions keep the order of the commands that made them
     */
    public IntakePlan(Collection<DeviceAction> stored, Instant now) {
        this(io.updraft.events.TenantIds.DEFAULT, stored, now);
    }

    /** One tenant's commands: the actions they create are that tenant's. */
    public IntakePlan(String tenant, Collection<DeviceAction> stored, Instant now) {
        this.tenant = tenant;
        this.now = now;
        this.clock = now.truncatedTo(ChronoUnit.MICROS);
        for (DeviceAction action : stored) {
            this.stored.add(action.actionId);
            track(action);
        }
    }

    public void apply(DeviceCommand command) {
        if (command instanceof InstallRequested install) {
            install(install);
        } else if (command instanceof CancelRequested cancel) {
            cancel(cancel);
        }
    }

    private void install(InstallRequested command) {
        if (known.containsKey(command.actionId())) {
            return; // a duplicate action id: already applied (or another device's), ignored
        }
        if (Expiry.isDue(command.expiresAt(), now)) {
            // Expired on arrival: recorded and reported, and it supersedes nothing.
            create(command, ActionStatus.EXPIRED);
            reports.add(ActionReports.expired(command));
            return;
        }
        String device = command.deviceId();
        DeviceAction waiting = queued.get(device);
        if (waiting != null) {
            withdraw(waiting);
        }
        DeviceAction superseded = current.get(device);
        if (superseded == null) {
            create(command, ActionStatus.PENDING);
        } else if (superseded.status == ActionStatus.PENDING) {
            withdraw(superseded);
            create(command, ActionStatus.PENDING);
        } else {
            move(superseded, ActionStatus.Trigger.REQUEST_CANCEL);
            create(command, ActionStatus.QUEUED);
        }
    }

    private void cancel(CancelRequested command) {
        DeviceAction action = known.get(command.actionId());
        if (action == null || !action.controllerId.equals(command.deviceId())) {
            return; // unknown device or action: nothing to cancel
        }
        if (action.status == ActionStatus.QUEUED || action.status == ActionStatus.PENDING) {
            withdraw(action);
        } else {
            // Ignored when already canceling or over: the device's own report tells the outcome.
            move(action, ActionStatus.Trigger.REQUEST_CANCEL);
        }
    }

    private void create(InstallRequested command, ActionStatus status) {
        DeviceAction action = DeviceAction.of(tenant, command, status, tick());
        created.add(action);
        track(action);
        changed.add(action.controllerId);
    }

    /** As {@code ActionQueue.move}: the queued action becomes current when the current one ends. */
    private boolean move(DeviceAction action, ActionStatus.Trigger trigger) {
        ActionStatus next = action.status.next(trigger).orElse(null);
        if (next == null) {
            return false;
        }
        action.updatedAt = tick();
        changedStored(action);
        if (next == action.status) {
            return true;
        }
        boolean endsCurrent = action.status.isCurrent() && !next.isCurrent();
        untrack(action);
        action.status = next;
        track(action);
        if (endsCurrent) {
            DeviceAction promoted = queued.get(action.controllerId);
            if (promoted != null) {
                untrack(promoted);
                promoted.status = promoted.status.next(ActionStatus.Trigger.PROMOTE).orElseThrow();
                promoted.updatedAt = action.updatedAt;
                track(promoted);
                changedStored(promoted);
            }
        }
        changed.add(action.controllerId);
        return true;
    }

    /** As {@code ActionQueue.withdraw}. */
    private void withdraw(DeviceAction action) {
        if (move(action, ActionStatus.Trigger.WITHDRAW)) {
            reports.add(ActionReports.canceled(action.install()));
        }
    }

    private void track(DeviceAction action) {
        known.put(action.actionId, action);
        if (action.status.isCurrent()) {
            current.put(action.controllerId, action);
        } else if (action.status == ActionStatus.QUEUED) {
            queued.put(action.controllerId, action);
        }
    }

    private void untrack(DeviceAction action) {
        current.remove(action.controllerId, action);
        queued.remove(action.controllerId, action);
    }

    private void changedStored(DeviceAction action) {
        if (stored.contains(action.actionId)) {
            moved.add(action);
        }
    }

    private Instant tick() {
        clock = clock.plus(1, ChronoUnit.MICROS);
        return clock;
    }

    /** Stored actions that end up neither current nor queued: to be written first. */
    public List<DeviceAction> leaving() {
        return moved.stream().filter(action -> !holdsSlot(action.status)).toList();
    }

    /** Stored actions that end up current (promoted, or asked to cancel): written once the others left. */
    public List<DeviceAction> entering() {
        return moved.stream().filter(action -> holdsSlot(action.status)).toList();
    }

    /** New actions in their final state, in command order: written last. */
    public List<DeviceAction> created() {
        return created;
    }

    /** In decision order, which keeps each device's reports in the order one-by-one application gives. */
    public List<UpdraftEvent> reports() {
        return reports;
    }

    public List<String> changedDevices() {
        return List.copyOf(changed);
    }

    private static boolean holdsSlot(ActionStatus status) {
        return status.isCurrent() || status == ActionStatus.QUEUED;
    }
}
