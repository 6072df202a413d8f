package io.updraft.telemetry.messaging.streams;

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
    private TaskOutputs() {
    }

    /**
     * Blocks until every record sent through the task's producer so far is acknowledged; throws the send's error if
     * one failed (the store must not write then). Nothing to do for a task with no producer (a standby).
     */
    static void acknowledge(StateStoreContext context) {
        if (context instanceof RecordCollector.Supplier supplier) {
            RecordCollector collector = supplier.recordCollector();
            if (collector != null) {
                collector.flush();
            }
        }
    }

    /** Whether the task has a producer to acknowledge its records (an active task; not a standby). */
    static boolean producing(StateStoreContext context) {
        return context instanceof RecordCollector.Supplier supplier && supplier.recordCollector() != null;
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
