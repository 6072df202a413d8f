package io.updraft.gateway.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.updraft.gateway.action.ActionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class DeviceActionRepository implements PanacheRepositoryBase<DeviceAction, Long> {
    private static final List<ActionStatus> CURRENT = List.of(ActionStatus.PENDING, ActionStatus.RETRIEVED,
            ActionStatus.RUNNING, ActionStatus.CANCELING);

    /** The one action the device sees, if any. */
    public Optional<DeviceAction> current(String controllerId) {
        return find("controllerId = ?1 and status in ?2", controllerId, CURRENT).firstResultOptional();
    }

    public Optional<DeviceAction> queued(String controllerId) {
        return find("controllerId = ?1 and status = ?2", controllerId, ActionStatus.QUEUED).firstResultOptional();
    }

    public Optional<DeviceAction> ofDevice(String controllerId, long actionId) {
        return find("actionId = ?1 and controllerId = ?2", actionId, controllerId).firstResultOptional();
    }

    /** The current action, else the one that changed last (a device may fetch artifacts of what it just ran). */
    public Optional<DeviceAction> currentOrLatest(String controllerId) {
        return current(controllerId).or(() -> find(
                "controllerId = ?1 and status <> ?2 order by updatedAt desc", controllerId, ActionStatus.QUEUED)
                .firstResultOptional());
    }

    /** The action the device finished last: what hawkBit calls its installed base. */
    public Optional<DeviceAction> lastFinished(String controllerId) {
        return find("controllerId = ?1 and status = ?2 order by updatedAt desc", controllerId, ActionStatus.FINISHED)
                .firstResultOptional();
    }

    public List<DeviceAction> allOf(String controllerId) {
        return list("controllerId = ?1 order by createdAt desc", controllerId);
    }
}
