package io.updraft.support.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.updraft.support.kafka.EventProducer;
import io.updraft.support.kafka.EventRecords;
import io.updraft.support.lifecycle.WorkLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Moves committed outbox rows to Kafka, oldest first, and deletes them once the broker has acknowledged them
 * (at least once; consumers skip event ids they have seen). At N replicas a transaction-scoped advisory lock lets
 * one relay work at a time, which keeps the per-key order the rows were committed in.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Arbitrary, fixed: the advisory lock key that makes one relay per database active. */
    private static final long RELAY_LOCK = 0x75706472616674L;

    @Inject
    DataSource dataSource;
    @Inject
    EventProducer producer;
    @Inject
    OutboxConfig config;
    @Inject
    MeterRegistry meters;

    private WorkLoop loop;
    private Counter relayed;

    void start(@Observes StartupEvent startup) {
        if (!config.relayEnabled()) {
            LOG.warn("outbox relay disabled (updraft.outbox.relay-enabled=false): events stay in the outbox table");
            return;
        }
        relayed = meters.counter("updraft.outbox.relayed");
        // Build the Kafka producer here, on the startup thread: created lazily from the relay thread, Kafka's
        // JmxReporter was loaded by another class loader than the application's (ClassCastException in tests).
        producer.source();
        loop = new WorkLoop("outbox-relay", config.idlePoll(), LOG, () -> relayOneBatch() >= config.batchSize());
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (loop != null) {
            loop.stop();
        }
    }

    void wakeUp() {
        if (loop != null) {
            loop.wakeUp();
        }
    }

    /** @return rows relayed, or 0 when another replica holds the relay lock or nothing waits */
    int relayOneBatch() throws SQLException, Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!tryRelayLock(connection)) {
                    connection.rollback();
                    return 0;
                }
                List<Long> ids = new ArrayList<>();
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(
                        "select id, topic, record_key, event_type, event_id, occurred_at, payload, tenant_id from outbox order by id limit ?")) {
                    select.setInt(1, config.batchSize());
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            ids.add(rows.getLong(1));
                            acks.add(producer.send(EventRecords.toRecord(rows.getString(8), producer.source(),
                                    rows.getString(2),
                                    rows.getString(3), rows.getString(4), rows.getString(5),
                                    rows.getTimestamp(6).toInstant(), rows.getString(7))));
                        }
                    }
                }
                for (Future<RecordMetadata> ack : acks) {
                    ack.get(70, TimeUnit.SECONDS);
                }
                if (!ids.isEmpty()) {
                    try (PreparedStatement delete = connection.prepareStatement("delete from outbox where id = any(?)")) {
                        Array array = connection.createArrayOf("bigint", ids.toArray());
                        delete.setArray(1, array);
                        delete.executeUpdate();
                    }
                }
                connection.commit();
                if (relayed != null) {
                    relayed.increment(ids.size());
                }
                return ids.size();
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static boolean tryRelayLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }
}
