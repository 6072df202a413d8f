package io.updraft.support.outbox;

import io.updraft.events.EventJson;
import io.updraft.events.TenantIds;
import io.updraft.events.UpdraftEvent;
import io.updraft.support.tenant.Tenants;
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
    private static final String INSERT = "insert into outbox (topic, record_key, event_type, event_id, occurred_at, payload,"
            + " tenant_id) values (?, ?, ?, ?, ?, ?, ?)";

    @Inject
    EntityManager entityManager;
    @Inject
    TransactionSynchronizationRegistry transactions;
    @Inject
    OutboxRelay relay;
    @Inject
    Instance<OutboxListener> listeners;
    @Inject
    Tenants tenants;

    /** Appends an event of the current tenant ({@link Tenants#current()}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(UpdraftEvent event) {
        appendAll(tenants.current(), List.of(event));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String tenant, UpdraftEvent event) {
        appendAll(tenant, List.of(event));
    }

    /** Appends many events of the current tenant in one JDBC batch (a rollout wave writes thousands). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(Collection<? extends UpdraftEvent> events) {
        appendAll(tenants.current(), events);
    }

    /**
     * Appends many events of {@code tenant} in one JDBC batch: each row keeps its tenant, which the relay puts on the
     * record (ADR 0021: the JSON's {@code "tenant"} field, the {@code ce_tenant} header, the {@code TENANT/key} key).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(String tenant, Collection<? extends UpdraftEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        String owner = tenant == null ? TenantIds.DEFAULT : tenant;
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
                    insert.setString(6, EventJson.write(owner, event));
                    insert.setString(7, owner);
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
