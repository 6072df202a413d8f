package io.updraft.telemetry.messaging.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.internals.BlockBasedTableConfigWithAccessibleCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The config setter on real RocksDB options and databases, prepared as Kafka Streams' RocksDBStore prepares them (its
 * table config exposes the block cache it holds), without Kafka Streams around them.
 */
class BoundedRocksDbMemoryTest {
    private static final long CACHE = 8L << 20;
    private static final long WRITE_BUFFERS = 2L << 20;

    @TempDir
    Path dir;

    private final List<Store> open = new ArrayList<>();

    /** One store as Kafka Streams makes it: its options, its setter instance, its database once opened. */
    private final class Store {
        final String name;
        final Options options = new Options().setCreateIfMissing(true);
        final BlockBasedTableConfigWithAccessibleCache table = new BlockBasedTableConfigWithAccessibleCache();
        final BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
        RocksDB db;

        Store(String name, Map<String, Object> configs) {
            this.name = name;
            options.setTableFormatConfig(table);
            open.add(this);
            setter.setConfig(name, options, configs);
        }

        Store opened() throws RocksDBException, java.io.IOException {
            db = RocksDB.open(options, Files.createDirectories(dir.resolve(name)).toString());
            return this;
        }

        long property(String name) throws RocksDBException {
            return db.getLongProperty(name);
        }

        void close() {
            // RocksDBStore's order: the setter first, then the database and the options
            setter.close(name, options);
            if (db != null) {
                db.close();
            }
            options.close();
            open.remove(this);
        }
    }

    private static Map<String, Object> budget(Object cacheBytes, Object writeBufferBytes) {
        Map<String, Object> configs = new HashMap<>();
        configs.put("application.id", "bounded-memory-test");
        configs.put(RocksDbMemoryBudget.BLOCK_CACHE_BYTES, cacheBytes);
        configs.put(RocksDbMemoryBudget.WRITE_BUFFER_BYTES, writeBufferBytes);
        return configs;
    }

    @AfterEach
    void closeWhatIsOpen() {
        new ArrayList<>(open).forEach(Store::close);
        assertThat(SharedRocksDbMemory.stores()).as("every store gave its share back").isZero();
    }

    @Test
    void given_two_stores_when_configured_then_both_use_one_cache_and_one_write_buffer_manager() {
        // as quarkus-kafka-streams passes them: strings
        Store a = new Store("device-state", budget(String.valueOf(CACHE), String.valueOf(WRITE_BUFFERS)));
        Store b = new Store("cohort-state", budget(String.valueOf(CACHE), String.valueOf(WRITE_BUFFERS)));

        assertThat(a.table.blockCache()).isNotNull().isSameAs(b.table.blockCache())
                .isSameAs(SharedRocksDbMemory.acquire(new RocksDbMemoryBudget(CACHE, WRITE_BUFFERS)).cache);
        SharedRocksDbMemory.release();
        assertThat(a.options.writeBufferManager()).isNotNull().isSameAs(b.options.writeBufferManager());
        // the setter changed Kafka Streams' own table config (its metrics read the cache from it), not a new one
        assertThat(a.options.tableFormatConfig()).isSameAs(a.table);
        BlockBasedTableConfig table = a.table;
        assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
        assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
        assertThat(SharedRocksDbMemory.stores()).isEqualTo(2);
    }

    @Test
    void given_two_open_databases_when_one_is_written_then_both_report_the_configured_capacity_and_one_usage()
            throws Exception {
        Store written = new Store("device-state", budget(CACHE, WRITE_BUFFERS)).opened();
        Store idle = new Store("cohort-state", budget(CACHE, WRITE_BUFFERS)).opened();

        byte[] value = new byte[1024];
        for (int i = 0; i < 2048; i++) {
            written.db.put(("device-" + i).getBytes(), value);
        }

        assertThat(written.property("rocksdb.block-cache-capacity")).isEqualTo(CACHE);
        assertThat(idle.property("rocksdb.block-cache-capacity")).isEqualTo(CACHE);
        // 2 MiB of memtable charged to the cache by the write buffer manager: the idle store sees it too. 2 MiB fills
        // the write buffers, so a flush may run in the background and move the usage between two reads: compare
        // readings taken while it holds still (with a cache per store the idle store's usage stays near zero)
        long[] usage = new long[1];
        await("one usage seen by both stores").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    usage[0] = written.property("rocksdb.block-cache-usage");
                    return idle.property("rocksdb.block-cache-usage") == usage[0]
                            && SharedRocksDbMemory.usage() == usage[0]
                            && written.property("rocksdb.block-cache-usage") == usage[0];
                });
        assertThat(usage[0]).isGreaterThanOrEqualTo(1L << 20);
    }

    @Test
    void given_no_sizes_configured_when_configured_then_the_defaults_apply() {
        Map<String, Object> configs = new HashMap<>();
        configs.put("application.id", "bounded-memory-test");

        assertThat(RocksDbMemoryBudget.from(configs)).isEqualTo(new RocksDbMemoryBudget(64L << 20, 16L << 20));
        new Store("device-state", configs);
        assertThat(SharedRocksDbMemory.acquire(new RocksDbMemoryBudget(64L << 20, 16L << 20)).budget)
                .isEqualTo(new RocksDbMemoryBudget(64L << 20, 16L << 20));
        SharedRocksDbMemory.release();
    }

    @Test
    void given_a_size_that_is_not_a_number_or_out_of_range_when_configured_then_it_fails_naming_the_key() {
        assertThatThrownBy(() -> RocksDbMemoryBudget.from(budget("64MiB", WRITE_BUFFERS)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(RocksDbMemoryBudget.BLOCK_CACHE_BYTES).hasMessageContaining("64MiB");
        assertThatThrownBy(() -> RocksDbMemoryBudget.from(budget(CACHE, "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(RocksDbMemoryBudget.WRITE_BUFFER_BYTES);
        assertThatThrownBy(() -> RocksDbMemoryBudget.from(budget(64L, WRITE_BUFFERS)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(RocksDbMemoryBudget.BLOCK_CACHE_BYTES);
        assertThatThrownBy(() -> RocksDbMemoryBudget.from(budget(CACHE, CACHE)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("charged to the block cache");
        assertThatThrownBy(() -> new Store("device-state", budget("lots", WRITE_BUFFERS)))
                .isInstanceOf(ConfigException.class);
        assertThat(SharedRocksDbMemory.stores()).as("a refused store holds no share").isZero();
    }

    @Test
    void given_stores_open_when_another_asks_for_a_different_budget_then_it_is_refused() {
        new Store("device-state", budget(CACHE, WRITE_BUFFERS));

        assertThatThrownBy(() -> new Store("cohort-state", budget(2 * CACHE, WRITE_BUFFERS)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("shared at");
        assertThat(SharedRocksDbMemory.stores()).isEqualTo(1);
    }

    @Test
    void given_stores_when_all_closed_then_the_shared_cache_goes_and_the_next_store_starts_a_new_one() {
        Store a = new Store("device-state", budget(CACHE, WRITE_BUFFERS));
        Store b = new Store("cohort-state", budget(CACHE, WRITE_BUFFERS));
        a.close();
        assertThat(SharedRocksDbMemory.stores()).isEqualTo(1);
        a.setter.close("device-state", a.options); // a second close gives nothing back twice
        assertThat(SharedRocksDbMemory.stores()).isEqualTo(1);
        b.close();
        assertThat(SharedRocksDbMemory.stores()).isZero();

        Store c = new Store("device-state", budget(2 * CACHE, WRITE_BUFFERS));
        assertThat(c.table.blockCache()).isNotSameAs(b.table.blockCache());
        assertThat(SharedRocksDbMemory.stores()).isEqualTo(1);
    }
}
