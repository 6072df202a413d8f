package io.updraft.support.outbox;

import io.updraft.events.EventJson;
import io.updraft.events.UpdraftEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import org.hibernate.Session;

/**
 * A state change and its events are one decision: events are written to the {@code outbox} table in the caller's
 * transaction and relayed to Kafka by {@link OutboxRelay} after the commit. A crash between the two loses nothing.
 */
@ApplicationScoped
public class Outbox {
    private static final String INSERT = "insert into outbox (topic, record_key, event_type, event_id, occurred_at, payload)"
            + " values (?, ?, ?, ?, ?, ?)";

    @Inject
    EntityManager entityManager;
    @Inject
    TransactionSynchronizationRegistry transactions;
    @Inject
    OutboxRelay relay;
    @Inject
    Instance<OutboxListener> listeners;

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(UpdraftEvent event) {
        appendAll(List.of(event));
    }

    /** Appends many events in one JDBC batch (a rollout wave writes thousands). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(Collection<? extends UpdraftEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        entityManager.flush();
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                int pending = 0;
                for (UpdraftEvent event : events) {
                    insert.setString(1, event.topic());
                    insert.setString(2, event.key());
                    insert.setString(3, event.type());
                    insert.setString(4, event.eventId());
                    insert.setTimestamp(5, Timestamp.from(event.occurredAt()));
                    insert.setString(6, EventJson.write(event));
                    insert.addBatch();
                    if (++pending == 500) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    insert.executeBatch();
                }
            }
        });
        for (OutboxListener listener : listeners) {
            listener.appended(events);
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wakeUp();
                }
            }
        });
    }
}
