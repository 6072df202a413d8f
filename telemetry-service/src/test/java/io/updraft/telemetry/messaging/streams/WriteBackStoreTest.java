package io.updraft.telemetry.messaging.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.telemetry.domain.Figures;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.RecordCollector;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.junit.jupiter.api.Test;

/**
 * The object store in front of the device tracker's stores, over an inner store that behaves as exactly-once makes
 * Kafka Streams' store behave: what was written by a commit ({@code flushCache}) survives a crash, anything written
 * after it is gone when the task is initialised again (the local store is wiped and restored from the committed
 * changelog).
 */
class WriteBackStoreTest {
    record Count(long n) {
    }

    @Test
    void given_changes_between_commits_when_committed_then_each_changed_key_is_written_once_and_an_equal_value_not() {
        CommittedStore<Count> inner = new CommittedStore<>();
        WriteBackStore<Count> store = WriteBackStore.over(inner, false, 100);
        store.init(null, store);

        store.put("a", new Count(1));
        store.put("a", new Count(2));
        store.put("b", new Count(1));
        assertThat(inner.writes).isZero(); // nothing before the commit
        assertThat(store.get("a")).isEqualTo(new Count(2));
        store.flushCache();
        assertThat(inner.committed).containsOnly(Map.entry("a", new Count(2)), Map.entry("b", new Count(1)));
        assertThat(inner.writes).isEqualTo(2);

        store.put("b", new Count(1)); // another object, the same content
        store.flushCache();
        assertThat(inner.writes).isEqualTo(2);
    }

    @Test
    void given_keys_read_and_written_again_and_again_when_held_as_objects_then_the_inner_store_is_read_once_per_key() {
        CommittedStore<Count> inner = new CommittedStore<>();
        inner.committed.put("stored", new Count(5));
        WriteBackStore<Count> store = WriteBackStore.over(inner, false, 100);
        store.init(null, store);
        store.put("new", new Count(0)); // the stream thread's first write: from now on it reads the objects

        for (int i = 1; i <= 100; i++) {
            store.put("stored", new Count(store.get("stored").n() + 1));
            store.put("new", new Count(store.get("new").n() + 1));
            assertThat(store.get("absent")).isNull();
            if (i % 10 == 0) {
                store.flushCache();
            }
        }

        assertThat(inner.committed).containsOnly(Map.entry("stored", new Count(105)), Map.entry("new", new Count(100)));
        assertThat(inner.reads).isEqualTo(3); // "new", "stored" and "absent", once each
    }

    @Test
    void given_uncommitted_changes_when_the_task_is_initialised_again_then_the_replayed_input_gives_the_same_sums() {
        for (boolean mirrored : new boolean[] { false, true }) {
            List<KeyValue<String, Integer>> input = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                input.add(KeyValue.pair("device-" + (i % 4), i + 1));
            }
            // the run without a crash: a commit after every 10 records
            CommittedStore<Count> calm = new CommittedStore<>();
            WriteBackStore<Count> calmStore = WriteBackStore.over(calm, mirrored, 2); // bound 2 of 4 keys: evictions
            calmStore.init(null, calmStore);
            process(calmStore, input, 0, 30);

            // the crash: committed at offset 10, 7 more processed (held as objects until a commit), then
            // the task is closed dirty and initialised again on its committed state; the input from offset 10 again
            CommittedStore<Count> crashing = new CommittedStore<>();
            WriteBackStore<Count> store = WriteBackStore.over(crashing, mirrored, 2);
            store.init(null, store);
            process(store, input, 0, 10);
            for (int i = 10; i < 17; i++) {
                add(store, input.get(i));
            }
            assertThat(store.get("device-0")).isNotEqualTo(crashing.committed.get("device-0")); // objects ahead
            store.close();
            store.init(null, store);
            assertThat(store.get("device-0")).isEqualTo(crashing.committed.get("device-0"));
            process(store, input, 10, 30);

            assertThat(crashing.committed).as(mirrored ? "mirrored" : "bounded").isEqualTo(calm.committed);
            assertThat(crashing.committed.get("device-0")).isEqualTo(new Count(1 + 5 + 9 + 13 + 17 + 21 + 25 + 29));
        }
    }

    @Test
    void given_more_keys_than_the_bound_when_they_changed_then_they_wait_for_the_commit_and_the_eldest_are_dropped_after() {
        CommittedStore<Count> inner = new CommittedStore<>();
        WriteBackStore<Count> store = WriteBackStore.over(inner, false, 2);
        store.init(null, store);

        store.put("a", new Count(1));
        store.put("b", new Count(2));
        store.put("c", new Count(3)); // "a" is the eldest, but changed: kept until the commit writes it
        assertThat(inner.writes).isZero();
        store.flushCache();
        assertThat(inner.committed).containsOnly(Map.entry("a", new Count(1)), Map.entry("b", new Count(2)),
                Map.entry("c", new Count(3)));

        int reads = inner.reads;
        assertThat(store.get("c")).isEqualTo(new Count(3)); // kept as an object
        assertThat(store.get("a")).isEqualTo(new Count(1)); // dropped after the commit: read from the inner store
        assertThat(inner.reads).isEqualTo(reads + 1);
    }

    @Test
    void given_values_changed_for_what_the_task_sent_when_written_back_then_the_task_producer_acknowledged_first() {
        CommittedStore<Count> inner = new CommittedStore<>();
        List<String> events = new ArrayList<>();
        WriteBackStore<Count> store = WriteBackStore.over(inner, false, 1);
        store.init(contextRecordingFlushes(events, inner), store);

        store.put("a", new Count(1));
        store.put("b", new Count(2)); // beyond the bound: no write before the commit either
        assertThat(events).isEmpty();
        assertThat(inner.writes).isZero();
        store.flushCache();

        // the producer was flushed when nothing was written yet; then both were written, once
        assertThat(events).containsExactly("producer flushed after 0 writes");
        assertThat(inner.writes).isEqualTo(2);
        store.flushCache(); // nothing changed: no flush, no write
        assertThat(events).hasSize(1);
    }

    @Test
    void given_a_send_of_the_task_failed_when_its_stores_write_back_then_none_writes_until_the_task_starts_again() {
        CommittedStore<Count> devices = new CommittedStore<>();
        CommittedStore<Count> cohorts = new CommittedStore<>();
        List<String> events = new ArrayList<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>(new IllegalStateException("send failed"));
        StateStoreContext context = context(() -> {
            // as Kafka Streams' record collector: a failed send is thrown by one flush, then forgotten
            RuntimeException failed = failure.getAndSet(null);
            if (failed != null) {
                throw failed;
            }
            events.add("flushed");
        });
        WriteBackStore<Count> first = WriteBackStore.over(devices, false, 100);
        WriteBackStore<Count> second = WriteBackStore.over(cohorts, false, 100);
        first.init(context, first);
        second.init(context, second);
        first.put("d", new Count(1));
        second.put("c", new Count(1)); // e.g. a cohort decided: its RollbackTriggered was the send that failed

        // when: the commit flushes every store of the task, going on after the first one failed (as Kafka Streams does)
        assertThatThrownBy(first::flushCache).hasMessage("send failed");
        assertThatThrownBy(second::flushCache).hasMessage("send failed");

        // then: neither wrote; once the task is initialised again (its input since the last commit replayed) they do
        assertThat(devices.writes + cohorts.writes).isZero();
        first.init(context, first);
        second.init(context, second);
        second.put("c", new Count(1));
        second.flushCache();
        assertThat(cohorts.committed).containsOnly(Map.entry("c", new Count(1)));
        assertThat(events).containsExactly("flushed");
    }

    /** A task context whose producer notes each flush, with how many values the store had written by then. */
    static StateStoreContext contextRecordingFlushes(List<String> events, CommittedStore<?> written) {
        return context(() -> events.add("producer flushed after " + written.writes + " writes"));
    }

    /** A task context whose record collector runs {@code onFlush} when flushed. */
    static StateStoreContext context(Runnable onFlush) {
        RecordCollector collector = (RecordCollector) Proxy.newProxyInstance(RecordCollector.class.getClassLoader(),
                new Class<?>[] { RecordCollector.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "flush" -> {
                        onFlush.run();
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        return (StateStoreContext) Proxy.newProxyInstance(StateStoreContext.class.getClassLoader(),
                new Class<?>[] { StateStoreContext.class, RecordCollector.Supplier.class },
                (proxy, method, args) -> method.getName().equals("recordCollector") ? collector : null);
    }

    @Test
    void given_a_mirrored_store_when_keys_come_and_go_then_only_what_outlives_a_commit_reaches_the_inner_store() {
        CommittedStore<Count> inner = new CommittedStore<>();
        inner.committed.put("old", new Count(7)); // restored from the changelog
        WriteBackStore<Count> store = WriteBackStore.over(inner, true, 0);
        store.init(null, store);

        store.put("brief", new Count(1));
        store.delete("brief"); // created and deleted between two commits
        store.put("kept", new Count(2));
        assertThat(all(store)).containsOnly(Map.entry("old", new Count(7)), Map.entry("kept", new Count(2)));
        store.delete("old");
        store.flushCache();

        assertThat(inner.committed).containsOnly(Map.entry("kept", new Count(2)));
        assertThat(inner.writes).isEqualTo(1);
        assertThat(inner.deletes).isEqualTo(1); // the tombstone of "old"; "brief" never reached it
    }

    @Test
    void given_a_value_changed_in_place_when_put_again_then_it_is_written_at_the_commit() {
        // the inner store keeps bytes, as RocksDB does: a change in place reaches it only by a write-back
        CommittedStore<PendingHealth> inner = new CommittedStore<>(value -> PendingHealth.SERDE.deserializer()
                .deserialize("t", PendingHealth.SERDE.serializer().serialize("t", value)));
        WriteBackStore<PendingHealth> store = WriteBackStore.over(inner, true, 0);
        store.init(null, store);
        PendingHealth pending = new PendingHealth("r", "c", 1, "1.0", 5L, Figures.NONE);
        store.put("w", pending);
        store.flushCache();
        assertThat(inner.committed.get("w").reports().healthReports()).isZero();

        store.get("w").addReport(6L, true, true, 1, Map.of("cpu", 0.5));
        store.put("w", pending);
        store.flushCache();

        assertThat(inner.committed.get("w").reports().healthReports()).isEqualTo(1);
        assertThat(inner.committed.get("w").reports().crashes()).isEqualTo(1);
        assertThat(inner.committed.get("w").lastAt()).isEqualTo(6L);
    }

    @Test
    void given_objects_ahead_of_the_inner_store_when_another_thread_reads_then_it_sees_the_last_write_back()
            throws Exception {
        CommittedStore<Count> inner = new CommittedStore<>();
        WriteBackStore<Count> store = WriteBackStore.over(inner, false, 100);
        store.init(null, store);
        store.put("a", new Count(1));
        store.flushCache();
        store.put("a", new Count(2));

        AtomicReference<Count> seen = new AtomicReference<>();
        Thread query = new Thread(() -> seen.set(store.get("a")));
        query.start();
        query.join();

        assertThat(seen.get()).isEqualTo(new Count(1));
        assertThat(store.get("a")).isEqualTo(new Count(2));
    }

    /** Adds each record's figure to its key's count; a commit after every 10th record (offsets 10, 20, 30). */
    private static void process(WriteBackStore<Count> store, List<KeyValue<String, Integer>> input, int from, int to) {
        for (int i = from; i < to; i++) {
            add(store, input.get(i));
            if ((i + 1) % 10 == 0) {
                store.flushCache();
            }
        }
    }

    private static void add(WriteBackStore<Count> store, KeyValue<String, Integer> record) {
        Count count = store.get(record.key);
        store.put(record.key, new Count((count == null ? 0 : count.n()) + record.value));
    }

    private static Map<String, Count> all(WriteBackStore<Count> store) {
        Map<String, Count> all = new TreeMap<>();
        try (KeyValueIterator<String, Count> it = store.all()) {
            it.forEachRemaining(kv -> all.put(kv.key, kv.value));
        }
        return all;
    }

    /**
     * A store as exactly-once leaves it: {@code data} is what is written, {@code committed} what the last commit
     * (flushCache) made durable; (re)initialising it restores the committed content.
     */
    static final class CommittedStore<V> implements KeyValueStore<String, V>, CachedStateStore<String, V> {
        final Map<String, V> data = new HashMap<>();
        final Map<String, V> committed = new HashMap<>();
        private final UnaryOperator<V> stored;
        int writes;
        int deletes;
        int reads;

        CommittedStore() {
            this(UnaryOperator.identity());
        }

        /** @param stored what the store keeps of a value written (a copy through its serde) */
        CommittedStore(UnaryOperator<V> stored) {
            this.stored = stored;
        }

        @Override
        public void init(StateStoreContext context, StateStore root) {
            data.clear();
            data.putAll(committed);
        }

        @Override
        public void flushCache() {
            committed.clear();
            committed.putAll(data);
        }

        @Override
        public void clearCache() {
        }

        @Override
        public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
            return false;
        }

        @Override
        public void put(String key, V value) {
            writes++;
            data.put(key, stored.apply(value));
        }

        @Override
        public V putIfAbsent(String key, V value) {
            V old = data.get(key);
            if (old == null) {
                put(key, value);
            }
            return old;
        }

        @Override
        public void putAll(List<KeyValue<String, V>> entries) {
            entries.forEach(e -> put(e.key, e.value));
        }

        @Override
        public V delete(String key) {
            deletes++;
            return data.remove(key);
        }

        @Override
        public V get(String key) {
            reads++;
            return data.get(key);
        }

        @Override
        public KeyValueIterator<String, V> range(String from, String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeyValueIterator<String, V> all() {
            List<KeyValue<String, V>> entries = new ArrayList<>();
            new TreeMap<>(data).forEach((k, v) -> entries.add(KeyValue.pair(k, v)));
            var it = entries.iterator();
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<String, V> next() {
                    return it.next();
                }

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public long approximateNumEntries() {
            return data.size();
        }

        @Override
        public String name() {
            return "committed";
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public boolean persistent() {
            return true;
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
