package io.updraft.telemetry.messaging.streams;

import java.time.Instant;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A cached window store that flushes its cache only after another store of its task ({@code after}) has written and
 * the task's producer has acknowledged everything, that store's changelog records included (ADR 0027).
 * <p>
 * The referee counts a signal into the cohort's state (which holds the marks that tell a replayed signal) and into
 * the cohort's window. Under at-least-once the two stores are written by the commit one after the other, with no
 * transaction around them; a crash between could leave the windows ahead of the marks, and the replay would then
 * count its signals into the windows again. Written in this order the windows are never ahead of the marks: a crash
 * between leaves them without that commit's signals (a rule over a window then sees up to one commit interval less,
 * the safe side), never with a signal twice. Everything else is the inner store's.
 */
final class OrderedWindowStore<V> implements WindowStore<String, V>, CachedStateStore<String, V> {
    private final WindowStore<String, V> inner;
    private final String after;
    private StateStoreContext context;

    private OrderedWindowStore(WindowStore<String, V> inner, String after) {
        this.inner = inner;
        this.after = after;
    }

    /** @param after the store of the same task whose write comes first */
    static <V> StoreBuilder<WindowStore<String, V>> after(String after, StoreBuilder<WindowStore<String, V>> inner) {
        return new Builder<>(inner, after);
    }

    @Override
    public void flushCache() {
        if (TaskOutputs.store(context, after) instanceof CachedStateStore<?, ?> first) {
            first.flushCache(); // a no-op when the commit has flushed it already
        }
        TaskOutputs.acknowledge(context);
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.flushCache();
        }
    }

    /** The store written first, as this task has it (null if it has none): what {@link #flushCache} flushes first. */
    StateStore writtenAfter() {
        return TaskOutputs.store(context, after);
    }

    /** Whether this task has a producer {@link #flushCache} waits for. */
    boolean acknowledgesOutputs() {
        return TaskOutputs.producing(context);
    }

    @Override
    public void flush() {
        flushCache();
        inner.flush();
    }

    @Override
    public void clearCache() {
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.clearCache();
        }
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
        return false; // nothing downstream listens to this store
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        this.context = context;
        TaskOutputs.reset(context);
        inner.init(context, root);
    }

    // ---- everything else: the inner store's ----

    @Override
    public void put(String key, V value, long windowStartTimestamp) {
        inner.put(key, value, windowStartTimestamp);
    }

    @Override
    public V fetch(String key, long time) {
        return inner.fetch(key, time);
    }

    @Override
    public WindowStoreIterator<V> fetch(String key, long timeFrom, long timeTo) {
        return inner.fetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<V> fetch(String key, Instant timeFrom, Instant timeTo) {
        return inner.fetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(String key, long timeFrom, long timeTo) {
        return inner.backwardFetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(String key, Instant timeFrom, Instant timeTo) {
        return inner.backwardFetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> fetch(String keyFrom, String keyTo, long timeFrom, long timeTo) {
        return inner.fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> fetch(String keyFrom, String keyTo, Instant timeFrom,
            Instant timeTo) {
        return inner.fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> backwardFetch(String keyFrom, String keyTo, long timeFrom,
            long timeTo) {
        return inner.backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> backwardFetch(String keyFrom, String keyTo, Instant timeFrom,
            Instant timeTo) {
        return inner.backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> fetchAll(long timeFrom, long timeTo) {
        return inner.fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> fetchAll(Instant timeFrom, Instant timeTo) {
        return inner.fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> backwardFetchAll(long timeFrom, long timeTo) {
        return inner.backwardFetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> backwardFetchAll(Instant timeFrom, Instant timeTo) {
        return inner.backwardFetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> all() {
        return inner.all();
    }

    @Override
    public KeyValueIterator<Windowed<String>, V> backwardAll() {
        return inner.backwardAll();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void close() {
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

    private static final class Builder<V> extends WrappingStoreBuilder<WindowStore<String, V>> {
        private final String after;

        Builder(StoreBuilder<WindowStore<String, V>> inner, String after) {
            super(inner);
            this.after = after;
        }

        @Override
        WindowStore<String, V> wrap(WindowStore<String, V> built) {
            return new OrderedWindowStore<>(built, after);
        }
    }
}
