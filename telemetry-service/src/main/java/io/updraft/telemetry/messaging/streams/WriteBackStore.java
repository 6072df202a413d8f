package io.updraft.telemetry.messaging.streams;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A key-value store that keeps its values as <b>objects</b> in front of a persistent, changelogged store and writes
 * them back only when Kafka Streams commits. The device tracker reads and changes a device's state and a cohort
 * window's pending sums on every health report; through this store that costs a hash map look-up instead of a
 * deserialisation, a serialisation and two record-cache operations per report.
 * <p>
 * <b>Exactly-once.</b> Kafka Streams commits a task by first flushing the caches of its stores ({@link #flushCache()},
 * the hook every cached store gets), then sending the changelog records, the offsets and the commit of one transaction.
 * This store writes every value changed since the last commit to the inner store in {@link #flushCache()}, so the
 * changelog of a commit holds exactly the state at that commit's offsets. What changed after the last commit lives
 * only here (or, evicted, in the inner store and the open transaction): a crash aborts the transaction, Kafka Streams
 * wipes the local store and restores it from the committed changelog, and {@link #init} (and {@link #close},
 * {@link #clearCache}) drops every object held here, so a revived or moved task re-reads its committed state from the
 * store and the uncommitted input is processed again on that state — nothing lost, nothing counted twice.
 * <p>
 * <b>At-least-once</b> (ADR 0027). There is no transaction: what the store writes stays, and a crash replays the input
 * since the last committed offsets on it. So before it writes anything back it has the task's producer acknowledge
 * every record sent so far ({@link TaskOutputs#acknowledge}): a value changed for a signal or a decision is never
 * written, locally or to the changelog, before that signal or decision is on its topic. A replay then finds a state
 * at or ahead of its input, never ahead of its outputs; the referee's marks make a replayed signal count nothing.
 * <p>
 * Two modes: <i>bounded</i> (device states, cohort states, heartbeats: objects are read from the inner store on first
 * use and, beyond {@code maxEntries}, the oldest unchanged ones are dropped; a changed one waits for the next
 * write-back, so the bound can be exceeded by what changed since the last commit) and <i>mirrored</i> (pending sums, a handful
 * of keys: on first use after (re)initialisation every entry of the inner store is loaded, none is dropped, and
 * {@link #all()} iterates the objects; a key created and deleted between two commits never reaches the inner store).
 * Loading waits for the first use because a task's store is restored from the changelog only after {@code init}.
 * <p>
 * Values handed out are the stored objects: a processor may change one in place, then must {@code put} it again (the
 * same object put again counts as changed). A different but equal value counts as unchanged and is not written.
 * Only the thread that changes the store (the task's stream thread) uses the objects; any other thread (interactive
 * queries) reads the inner store, i.e. the state as of the last write-back.
 */
final class WriteBackStore<V> implements KeyValueStore<String, V>, CachedStateStore<String, V> {
    private final KeyValueStore<String, V> inner;
    private final boolean mirrored;
    private final int maxEntries;
    private final Slots slots;
    /** Slots changed since the last write-back (a slot may be in it once even if clean again: skipped). */
    private final List<Slot<V>> changed = new ArrayList<>();
    private Thread owner;
    private boolean loaded;
    /** The task's context: its producer is flushed before anything is written back (ADR 0027). */
    private StateStoreContext context;

    /** One key's object: {@code value} null when deleted or absent; {@code stored}: the inner store may hold it. */
    private static final class Slot<V> {
        final String key;
        V value;
        boolean dirty;
        boolean stored;

        Slot(String key, V value, boolean stored) {
            this.key = key;
            this.value = value;
            this.stored = stored;
        }
    }

    /** Insertion-ordered; in bounded mode the eldest slot is written back if changed and dropped beyond the bound. */
    private final class Slots extends LinkedHashMap<String, Slot<V>> {
        private static final long serialVersionUID = 1L;

        Slots() {
            super(1024, 0.75f, false);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Slot<V>> eldest) {
            // a changed object waits for the next write-back (what it was changed for may not be acknowledged yet):
            // the map holds at most the bound plus what changed since the last write-back
            return !mirrored && size() > maxEntries && !eldest.getValue().dirty;
        }
    }

    private WriteBackStore(KeyValueStore<String, V> inner, boolean mirrored, int maxEntries) {
        this.inner = inner;
        this.mirrored = mirrored;
        this.maxEntries = maxEntries;
        this.slots = new Slots();
    }

    /** A persistent, changelogged store (no record cache: this is the cache) behind objects of at most so many keys. */
    static <V> StoreBuilder<KeyValueStore<String, V>> bounded(String name, Serde<String> keys, Serde<V> values,
            int maxEntries) {
        return new Builder<>(name, keys, values, false, maxEntries);
    }

    /** A persistent, changelogged store whose every entry is held as an object (for a few keys, iterated often). */
    static <V> StoreBuilder<KeyValueStore<String, V>> mirrored(String name, Serde<String> keys, Serde<V> values) {
        return new Builder<>(name, keys, values, true, Integer.MAX_VALUE);
    }

    /** Over a given inner store (tests: one that keeps only what was committed, as exactly-once restores it). */
    static <V> WriteBackStore<V> over(KeyValueStore<String, V> inner, boolean mirrored, int maxEntries) {
        return new WriteBackStore<>(inner, mirrored, maxEntries);
    }

    // ---- reads and writes of the stream thread ----

    @Override
    public V get(String key) {
        if (!owned()) {
            return inner.get(key);
        }
        Slot<V> slot = slotOf(key);
        return slot == null ? null : slot.value;
    }

    @Override
    public void put(String key, V value) {
        if (value == null) {
            delete(key);
            return;
        }
        claim();
        Slot<V> slot = slotOf(key);
        if (slot == null) {
            slot = new Slot<>(key, value, false);
            slots.put(key, slot);
        } else if (slot.value != value && slot.value != null && slot.value.equals(value)) {
            return; // the same content: nothing to write
        } else {
            slot.value = value;
        }
        markChanged(slot);
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(String key) {
        claim();
        Slot<V> slot = slotOf(key);
        if (slot == null || slot.value == null) {
            return null;
        }
        V old = slot.value;
        slot.value = null;
        if (slot.stored) {
            markChanged(slot); // the tombstone must reach the store and its changelog
        } else {
            slot.dirty = false; // never written: nothing to delete there
            if (mirrored) {
                slots.remove(key);
            }
        }
        return old;
    }

    @Override
    public KeyValueIterator<String, V> all() {
        if (owned() && mirrored) {
            load();
            List<KeyValue<String, V>> entries = new ArrayList<>(slots.size());
            for (Slot<V> slot : slots.values()) {
                if (slot.value != null) {
                    entries.add(KeyValue.pair(slot.key, slot.value));
                }
            }
            return new EntryIterator<>(entries);
        }
        writeBackIfOwned();
        return inner.all();
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        writeBackIfOwned();
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        writeBackIfOwned();
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        writeBackIfOwned();
        return inner.reverseAll();
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    /** Only the thread that writes uses the objects; before its first write every read goes to the inner store. */
    private boolean owned() {
        return owner == Thread.currentThread();
    }

    private void claim() {
        if (owner == null) {
            owner = Thread.currentThread();
        } else if (owner != Thread.currentThread()) {
            throw new IllegalStateException("store " + name() + " is written by " + owner.getName() + " only");
        }
    }

    private Slot<V> slotOf(String key) {
        load();
        Slot<V> slot = slots.get(key);
        if (slot == null && !mirrored) {
            // an absent key is remembered too (value null): a device never stored is not looked up again and again
            V stored = inner.get(key);
            slot = new Slot<>(key, stored, stored != null);
            slots.put(key, slot);
        }
        return slot;
    }

    private void load() {
        if (mirrored && !loaded) {
            loaded = true;
            try (KeyValueIterator<String, V> all = inner.all()) {
                all.forEachRemaining(entry -> slots.put(entry.key, new Slot<>(entry.key, entry.value, true)));
            }
        }
    }

    private void markChanged(Slot<V> slot) {
        if (!slot.dirty) {
            slot.dirty = true;
            changed.add(slot);
        }
    }

    // ---- write-back: at every commit (flushCache), flush and eviction ----

    /** Before iterating the inner store: only the owner may write (another thread sees the last write-back). */
    private void writeBackIfOwned() {
        if (owned()) {
            writeBackChanged();
        }
    }

    /**
     * At a commit (flushCache), a flush and before the inner store is iterated: whoever commits the task. Bounded: then
     * the oldest objects beyond the bound are dropped (all are clean now).
     */
    private void writeBackChanged() {
        if (changed.isEmpty()) {
            return;
        }
        // the signals, decisions and changelog records sent before these values were changed come first: a state
        // never reaches RocksDB or its changelog ahead of what it was changed for (ADR 0027)
        TaskOutputs.acknowledge(context);
        for (Slot<V> slot : changed) {
            writeBack(slot);
        }
        changed.clear();
        if (!mirrored && slots.size() > maxEntries) {
            Iterator<Slot<V>> eldest = slots.values().iterator();
            while (slots.size() > maxEntries && eldest.hasNext()) {
                if (!eldest.next().dirty) {
                    eldest.remove();
                }
            }
        }
    }

    private void writeBack(Slot<V> slot) {
        if (!slot.dirty) {
            return;
        }
        slot.dirty = false;
        if (slot.value == null) {
            inner.delete(slot.key);
            slot.stored = false;
            if (mirrored) {
                slots.remove(slot.key); // bounded: kept as known to be absent (until dropped)
            }
        } else {
            inner.put(slot.key, slot.value);
            slot.stored = true;
        }
    }

    /** Drops every object (changed or not): the next read goes to the inner store. */
    private void forget() {
        slots.clear();
        changed.clear();
        loaded = false;
        owner = null;
    }

    @Override
    public void flushCache() {
        writeBackChanged();
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.flushCache();
        }
    }

    @Override
    public void clearCache() {
        forget();
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.clearCache();
        }
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
        return false; // nothing downstream listens to these stores
    }

    // ---- the store's life cycle: delegated, and every object dropped on (re)initialisation and close ----

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        forget();
        this.context = context;
        TaskOutputs.reset(context);
        inner.init(context, root);
    }

    @Override
    public void flush() {
        writeBackChanged();
        inner.flush();
    }

    @Override
    public void close() {
        // a clean close flushed first; a dirty one must not write what the aborted transaction held
        forget();
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    private static final class EntryIterator<V> implements KeyValueIterator<String, V> {
        private final Iterator<KeyValue<String, V>> entries;
        private KeyValue<String, V> next;

        EntryIterator(List<KeyValue<String, V>> entries) {
            this.entries = entries.iterator();
            this.next = this.entries.hasNext() ? this.entries.next() : null;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public KeyValue<String, V> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            KeyValue<String, V> current = next;
            next = entries.hasNext() ? entries.next() : null;
            return current;
        }

        @Override
        public String peekNextKey() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            return next.key;
        }

        @Override
        public void close() {
        }
    }

    /** Builds the inner store without a record cache (the objects here are the cache), logged like any other. */
    private static final class Builder<V> extends WrappingStoreBuilder<KeyValueStore<String, V>> {
        private final boolean mirrored;
        private final int maxEntries;

        Builder(String name, Serde<String> keys, Serde<V> values, boolean mirrored, int maxEntries) {
            super(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values)
                    .withCachingDisabled());
            this.mirrored = mirrored;
            this.maxEntries = maxEntries;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingEnabled() {
            return this; // this store is the cache
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingDisabled() {
            return this;
        }

        @Override
        KeyValueStore<String, V> wrap(KeyValueStore<String, V> built) {
            return new WriteBackStore<>(built, mirrored, maxEntries);
        }
    }

    @Override
    public String toString() {
        return "WriteBackStore[" + name() + ", " + slots.size() + " objects, " + changed.size() + " changed]";
    }
}
