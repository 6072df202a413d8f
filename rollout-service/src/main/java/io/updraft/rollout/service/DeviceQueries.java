package io.updraft.rollout.service;

import io.updraft.rollout.domain.HistoryEntry;
import io.updraft.rollout.domain.InventoryDevice;
import io.updraft.rollout.persistence.DeviceInventory;
import io.updraft.rollout.persistence.HistoryRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the API shows of the device inventory and of each device's history: reads only. */
@ApplicationScoped
public class DeviceQueries {
    @Inject
    DeviceInventory inventory;
    @Inject
    HistoryRepository history;

    public Optional<InventoryDevice> find(String deviceId) {
        return inventory.find(deviceId);
    }

    /** A page by number, with the total. */
    public InventoryDevice.Page page(InventoryDevice.Filter filter, int page, int size) {
        return inventory.page(filter, page, size);
    }

    /** The devices after {@code afterDeviceId} (null: from the first), in device id order. */
    public InventoryDevice.Slice after(InventoryDevice.Filter filter, String afterDeviceId, int limit) {
        return inventory.after(filter, afterDeviceId, limit);
    }

    public List<HistoryEntry> history(String deviceId, Instant afterAt, String afterKey, int limit) {
        return history.device(deviceId, afterAt, afterKey, limit);
    }
}
