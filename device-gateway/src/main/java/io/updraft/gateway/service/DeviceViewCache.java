package io.updraft.gateway.service;

import io.updraft.gateway.domain.DeviceKeys;
import io.updraft.gateway.domain.PollView;
import io.updraft.gateway.persistence.DeviceChangeListener;
import io.updraft.gateway.persistence.DeviceViewStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Poll views by device key ({@link DeviceKeys}: the tenant and the controllerId), filled lazily (or all at once by {@link #warm}) and evicted when PostgreSQL notifies a
 * change ({@link DeviceChangeListener}). Each slot carries a generation: an eviction during a fill gives the slot a
 * new generation, so the fill cannot store the value it read before the change. While the listener is not connected
 * the cache is bypassed, because changes made by other replicas could not be heard. Unknown devices are not cached:
 * requests with made-up ids must not grow the heap.
 */
@Singleton
public class DeviceViewCache implements DeviceChangeListener.Subscriber {
    /**
     * One device's entry. Immutable but for the time of its last DeviceSeen heartbeat, a primitive: stamping it on a
     * poll writes no reference into an entry that long sits in the old generation (a reference to a fresh object
     * would dirty a card the next young collection has to scan, and the fresh object would be copied there).
     */
    private static final class Slot {
        private static final VarHandle HEARTBEAT;

        static {
            try {
                HEARTBEAT = MethodHandles.lookup().findVarHandle(Slot.class, "heartbeatAtMillis", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final long generation;
        final PollView view;
        /** Epoch milliseconds of the device's last heartbeat, 0 = none; carried over when the slot is replaced. */
        @SuppressWarnings("unused") // through HEARTBEAT
        private volatile long heartbeatAtMillis;

        Slot(long generation, PollView view, long heartbeatAtMillis) {
            this.generation = generation;
            this.view = view;
            this.heartbeatAtMillis = heartbeatAtMillis;
        }

        PollView view() {
            return view;
        }

        long heartbeatAtMillis() {
            return heartbeatAtMillis;
        }

        /** True for exactly one caller per sample interval: the one whose compare-and-set moved the stamp. */
        boolean claimHeartbeat(long nowMillis, long sampleMillis) {
            long last = heartbeatAtMillis;
            return (last == 0 || nowMillis - last >= sampleMillis) && HEARTBEAT.compareAndSet(this, last, nowMillis);
        }
    }

    /** What {@link #claimHeartbeat} decided. */
    public enum Heartbeat {
        /** The caller owes the device's DeviceSeen. */
        DUE,
        /** One left within the sample interval. */
        NOT_DUE,
        /** The device has no slot (not cached, or the cache is bypassed): the caller has to keep track itself. */
        NO_SLOT
    }

    /** Replaced whole by {@link #clear}: a warm-up still writing into the old map then writes into nothing. */
    private volatile ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong generations = new AtomicLong();
    private final Function<String, PollView> loader;
    private volatile boolean listening;

    @Inject
    DeviceViewCache(DeviceViewStore store) {
        this(key -> store.load(DeviceKeys.tenant(key), DeviceKeys.controllerId(key)));
    }

    DeviceViewCache(Function<String, PollView> loader) {
        this.loader = loader;
    }

    public PollView get(String controllerId) {
        Claim claim = claim(controllerId);
        if (claim != null && claim.cached() != null) {
            return claim.cached();
        }
        PollView loaded = loader.apply(controllerId);
        fill(claim, loaded);
        return loaded;
    }

    /**
     * A device's slot, taken before its view is read from the database (as {@link #get} does, for callers that read
     * many views at once): {@link #fill} stores the view only if nothing evicted the slot in between.
     *
     * @return null while the cache is bypassed (the listener is not connected)
     */
    public Claim claim(String controllerId) {
        if (!listening) {
            return null;
        }
        ConcurrentHashMap<String, Slot> map = slots;
        return new Claim(map, controllerId, map.computeIfAbsent(controllerId,
                id -> new Slot(generations.incrementAndGet(), null, 0)));
    }

    /** Stores a view read after {@code claim} was taken, unless the slot changed meanwhile; unknown devices never. */
    public void fill(Claim claim, PollView view) {
        if (claim == null || claim.slot.view() != null) {
            return;
        }
        if (!view.known()) {
            claim.map.remove(claim.controllerId, claim.slot);
            return;
        }
        // Stores only if nobody evicted (or cleared) the slot meanwhile: slots compare by identity, and an evicted or
        // cleared slot has been replaced by another object.
        claim.map.replace(claim.controllerId, claim.slot, new Slot(claim.slot.generation, view,
                claim.slot.heartbeatAtMillis()));
    }

    /** A slot taken by {@link #claim}; {@link #cached()} is its view if it already had one. */
    public static final class Claim {
        private final ConcurrentHashMap<String, Slot> map;
        private final String controllerId;
        private final Slot slot;

        private Claim(ConcurrentHashMap<String, Slot> map, String controllerId, Slot slot) {
            this.map = map;
            this.controllerId = controllerId;
            this.slot = slot;
        }

        public PollView cached() {
            return slot.view();
        }
    }

    /** The cached view, or null when it would have to be loaded (never touches the database). */
    public PollView peek(String controllerId) {
        if (!listening) {
            return null;
        }
        Slot slot = slots.get(controllerId);
        return slot == null ? null : slot.view();
    }

    /**
     * Decides whether this poll owes the device's DeviceSeen: at most one per {@code sampleMillis} per cached device,
     * without allocating anything (see {@link Slot}).
     */
    public Heartbeat claimHeartbeat(String controllerId, long nowMillis, long sampleMillis) {
        if (!listening) {
            return Heartbeat.NO_SLOT;
        }
        Slot slot = slots.get(controllerId);
        if (slot == null) {
            return Heartbeat.NO_SLOT;
        }
        return slot.claimHeartbeat(nowMillis, sampleMillis) ? Heartbeat.DUE : Heartbeat.NOT_DUE;
    }

    @Override
    public void evict(String controllerId) {
        Slot old = slots.get(controllerId); // its heartbeat time lives on (lossy: a racing stamp may be lost)
        slots.put(controllerId,
                new Slot(generations.incrementAndGet(), null, old == null ? 0 : old.heartbeatAtMillis()));
    }

    /** Forgets everything, e.g. after notifications may have been missed. */
    public void clear() {
        slots = new ConcurrentHashMap<>();
    }

    /**
     * Fills the cache from a snapshot read after LISTEN was established: a view is stored only where the slot is still
     * absent, so anything evicted or loaded since the snapshot began wins over the snapshot.
     *
     * @param source hands every (device id, view) of the snapshot to the consumer it is given
     */
    @Override
    public void warm(Consumer<BiConsumer<String, PollView>> source) {
        ConcurrentHashMap<String, Slot> map = slots;
        if (!listening) {
            return;
        }
        source.accept((id, view) -> map.putIfAbsent(id, new Slot(generations.incrementAndGet(), view, 0)));
    }

    /** The listener is connected: from now on every change is heard, so cached views can be trusted. */
    @Override
    public void listening() {
        clear();
        listening = true;
    }

    /** The listener lost its connection: changes may go unheard, so stop caching until it is back. */
    @Override
    public void deaf() {
        listening = false;
        clear();
    }

    public boolean isListening() {
        return listening;
    }

    /** Devices with a slot (cached or being filled). */
    @Override
    public int size() {
        return slots.size();
    }
}
