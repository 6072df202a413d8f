package io.updraft.telemetry.messaging.streams;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.ProcessorContextImpl;
import org.apache.kafka.streams.processor.internals.RecordCollector;

/**
 * What the topology's stores need of their task to write their state only after what it sent was acknowledged
 * (ADR 0027). Kafka Streams commits a task by flushing its stores' caches (changelog records sent, RocksDB written)
 * and only then flushing the producer; a crash in between can keep a state whose outputs were never written.
 * The stores call {@link #acknowledge} before they write: every record the task's producer was given so far is on its
 * topic, or the write fails with the send. These are Kafka Streams internals (4.1); {@code TaskOutputsTest} pins them.
 */
final class TaskOutputs {
    /**
     * Tasks whose producer failed a send, with the error. The record collector reports a failed send once and then
     * forgets it, while Kafka Streams goes on flushing the task's other stores after one failed: without this the
     * next store would find the producer "acknowledged" and write a state ahead of the lost record. Until the task is
     * initialised again every store of it fails the same way (by identity; a task's collector lives as long as it).
     */
    private static final Map<RecordCollector, RuntimeException> FAILED =
            Collections.synchronizedMap(new WeakHashMap<>());

    private TaskOutputs() {
    }

    /**
     * Blocks until every record sent through the task's producer so far is acknowledged; throws the send's error if
     * one failed, and again to every store of the task until it is initialised again ({@link #reset}): none may
     * write then. Nothing to do for a task with no producer (a standby).
     */
    static void acknowledge(StateStoreContext context) {
        RecordCollector collector = collectorOf(context);
        if (collector == null) {
            return;
        }
        RuntimeException failed = FAILED.get(collector);
        if (failed != null) {
            throw failed;
        }
        try {
            collector.flush();
        } catch (RuntimeException e) {
            FAILED.put(collector, e);
            throw e;
        }
    }

    /**
     * A store of the task is (re)initialised: the task was created, or revived after the failure, and what its
     * producer failed to send is input again since the last commit. Its stores may write again.
     */
    static void reset(StateStoreContext context) {
        RecordCollector collector = collectorOf(context);
        if (collector != null) {
            FAILED.remove(collector);
        }
    }

    private static RecordCollector collectorOf(StateStoreContext context) {
        return context instanceof RecordCollector.Supplier supplier ? supplier.recordCollector() : null;
    }

    /** Whether the task has a producer to acknowledge its records (an active task; not a standby). */
    static boolean producing(StateStoreContext context) {
        return collectorOf(context) != null;
    }

    /** Another store of the same task, as registered (null if there is none of that name or no such context). */
    static StateStore store(StateStoreContext context, String name) {
        if (context instanceof ProcessorContextImpl processorContext) {
            try {
                return processorContext.stateManager().store(name);
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
