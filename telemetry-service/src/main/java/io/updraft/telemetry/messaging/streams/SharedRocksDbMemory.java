package io.updraft.telemetry.messaging.streams;

import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * The one block cache and write buffer manager every RocksDB store of this process uses, created when the first store
 * opens and closed when the last one has closed (a rebalance that closes every store, then opens new ones, starts a
 * fresh pair). Closing the Java handles only drops their reference: a database still open keeps the native cache
 * alive until it closes too — so the order in which Kafka Streams calls {@code close} and closes the database does
 * not matter. One Kafka Streams instance runs per process, so "this process" and "this instance" are the same.
 */
final class SharedRocksDbMemory {
    /** Index and filter blocks go to the high-priority pool: they are evicted only after the data blocks. */
    static final double HIGH_PRIORITY_POOL_RATIO = 0.1;

    private static SharedRocksDbMemory current;
    private static int stores;

    final RocksDbMemoryBudget budget;
    final Cache cache;
    final WriteBufferManager writeBuffers;

    private SharedRocksDbMemory(RocksDbMemoryBudget budget) {
        RocksDB.loadLibrary();
        this.budget = budget;
        // not a strict limit: a full cache would fail reads and writes instead of evicting slightly late
        this.cache = new LRUCache(budget.blockCacheBytes(), -1, false, HIGH_PRIORITY_POOL_RATIO);
        this.writeBuffers = new WriteBufferManager(budget.writeBufferBytes(), cache);
    }

    /** The shared pair for one more store; a budget other than the one in use is refused, not silently ignored. */
    static synchronized SharedRocksDbMemory acquire(RocksDbMemoryBudget budget) {
        if (current == null) {
            current = new SharedRocksDbMemory(budget);
        } else if (!current.budget.equals(budget)) {
            throw new IllegalStateException("RocksDB memory of this process is shared at " + current.budget
                    + " while " + stores + " store(s) are open; a store asked for " + budget);
        }
        stores++;
        return current;
    }

    /** One store closed; the last one closes the shared pair. */
    static synchronized void release() {
        if (stores == 0) {
            return;
        }
        stores--;
        if (stores == 0) {
            current.writeBuffers.close();
            current.cache.close();
            current = null;
        }
    }

    /** How many open stores share the pair (0: none is open). */
    static synchronized int stores() {
        return stores;
    }

    /** Bytes the shared cache holds now (blocks and the memtables charged to it); 0 when no store is open. */
    static synchronized long usage() {
        return current == null ? 0 : current.cache.getUsage();
    }
}
