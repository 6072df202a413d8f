package io.updraft.telemetry.messaging.streams;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * How much native memory all RocksDB stores of this process may take together: {@code blockCacheBytes} is the one
 * LRU cache that holds data blocks, index and filter blocks and — charged to it by the write buffer manager — the
 * memtables, of which {@code writeBufferBytes} is the memtables' share. Read by {@link BoundedRocksDbMemory} from the
 * Kafka Streams configuration, where application.properties passes {@code updraft.streams.rocksdb.*} through
 * {@code kafka-streams.updraft.streams.rocksdb.*} (quarkus-kafka-streams strips the {@code kafka-streams.} prefix).
 */
public record RocksDbMemoryBudget(long blockCacheBytes, long writeBufferBytes) {
    public static final String BLOCK_CACHE_BYTES = "updraft.streams.rocksdb.block-cache-bytes";
    public static final String WRITE_BUFFER_BYTES = "updraft.streams.rocksdb.write-buffer-bytes";
    /**
     * A tenth of a 768 MiB container: 1,000,000 devices leave ~72 MiB of tables (docs/performance.md, issue 19), so the
     * hot part of such a fleet stays cached; Kafka Streams flushes the memtables at every commit, so 16 MiB of them is
     * ample and the rest of the cache holds blocks.
     */
    public static final long DEFAULT_BLOCK_CACHE_BYTES = 64L << 20;
    public static final long DEFAULT_WRITE_BUFFER_BYTES = 16L << 20;
    /** Below this a store cannot hold even its index blocks; a typo (a size in MiB given as bytes) is refused. */
    static final long MIN_BLOCK_CACHE_BYTES = 1L << 20;
    static final long MIN_WRITE_BUFFER_BYTES = 256L << 10;

    public RocksDbMemoryBudget {
        if (blockCacheBytes < MIN_BLOCK_CACHE_BYTES) {
            throw new ConfigException(BLOCK_CACHE_BYTES, blockCacheBytes, "must be at least "
                    + MIN_BLOCK_CACHE_BYTES + " bytes (1 MiB)");
        }
        if (writeBufferBytes < MIN_WRITE_BUFFER_BYTES || writeBufferBytes >= blockCacheBytes) {
            throw new ConfigException(WRITE_BUFFER_BYTES, writeBufferBytes, "must be at least "
                    + MIN_WRITE_BUFFER_BYTES + " bytes (256 KiB) and less than " + BLOCK_CACHE_BYTES + " ("
                    + blockCacheBytes + "): the memtables are charged to the block cache");
        }
    }

    /** The budget the configuration names; a key that is absent takes its default, one that is not a size fails. */
    public static RocksDbMemoryBudget from(Map<String, ?> configs) {
        return new RocksDbMemoryBudget(bytes(configs, BLOCK_CACHE_BYTES, DEFAULT_BLOCK_CACHE_BYTES),
                bytes(configs, WRITE_BUFFER_BYTES, DEFAULT_WRITE_BUFFER_BYTES));
    }

    private static long bytes(Map<String, ?> configs, String key, long absent) {
        Object value = configs.get(key);
        if (value == null || value instanceof String s && s.isBlank()) {
            return absent;
        }
        if (value instanceof Long || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "must be a whole number of bytes (e.g. 67108864 for 64 MiB)");
        }
    }
}
