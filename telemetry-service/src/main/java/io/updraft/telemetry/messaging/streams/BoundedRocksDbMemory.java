package io.updraft.telemetry.messaging.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

/**
 * Bounds the native memory of all RocksDB stores of the process together ({@code rocksdb.config.setter}): every store
 * reads through the one shared LRU block cache — index and filter blocks included, in its high-priority pool — and
 * writes into memtables that one write buffer manager charges to that same cache, so the cache's capacity
 * ({@link RocksDbMemoryBudget}) bounds blocks, indexes, filters and memtables of every store, active or standby,
 * instead of Kafka Streams' default of a 50 MiB cache and up to 3 × 16 MiB memtables per store. Kafka Streams makes one
 * instance per store by class name, so the budget comes from the streams configuration it passes to
 * {@link #setConfig}.
 */
public class BoundedRocksDbMemory implements RocksDBConfigSetter {
    private boolean acquired;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        SharedRocksDbMemory shared = SharedRocksDbMemory.acquire(RocksDbMemoryBudget.from(configs));
        acquired = true;
        // Kafka Streams reads the cache back from its own table config for its metrics: change it, never replace it
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        // nothing pinned: with universal compaction (Kafka Streams' choice) most files sit in L0, and pinned blocks
        // could not be evicted to keep the cache within its capacity
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(shared.writeBuffers);
    }

    /** Gives this store's share back; the shared cache and write buffer manager close with the last store. */
    @Override
    public void close(String storeName, Options options) {
        if (acquired) {
            acquired = false;
            SharedRocksDbMemory.release();
        }
    }
}
