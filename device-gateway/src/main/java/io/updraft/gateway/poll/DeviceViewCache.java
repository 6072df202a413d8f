package io.updraft.gateway.poll;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Poll views by device id, filled lazily and evicted when PostgreSQL notifies a change ({@link DeviceChangeListener}).
 * Each slot carries a generation: an eviction during a fill gives the slot a new generation, so the fill cannot
 * store the value it read before the change. While the listener is not connected the cache is bypassed, because
 * changes made by other replicas could not be heard.
 */
@Singleton
public class DeviceViewCache {
    private record Slot(long generation, PollView view) {
    }

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong generations = new AtomicLong();
    private final Function<String, PollView> loader;
    private volatile boolean listening;

    @Inject
    DeviceViewCache(DeviceViewStore store) {
        this(store::load);
    }

    DeviceViewCache(Function<String, PollView> loader) {
        this.loader = loader;
    }

    public PollView get(String controllerId) {
        if (!listening) {
            return loader.apply(controllerId);
        }
        Slot slot = slots.computeIfAbsent(controllerId, id -> new Slot(generations.incrementAndGet(), null));
        if (slot.view() != null) {
            return slot.view();
        }
        PollView loaded = loader.apply(controllerId);
        // Stores only if nobody evicted (or cleared) the slot meanwhile; records compare by generation and view.
        slots.replace(controllerId, slot, new Slot(slot.generation(), loaded));
        return loaded;
    }

    public void evict(String controllerId) {
        slots.put(controllerId, new Slot(generations.incrementAndGet(), null));
    }

    /** Forgets everything, e.g. after notifications may have been missed. */
    public void clear() {
        slots.clear();
    }

    /** The listener is connected: from now on every change is heard, so cached views can be trusted. */
    void listening() {
        clear();
        listening = true;
    }

    /** The listener lost its connection: changes may go unheard, so stop caching until it is back. */
    void deaf() {
        listening = false;
        clear();
    }

    public boolean isListening() {
        return listening;
    }
}
