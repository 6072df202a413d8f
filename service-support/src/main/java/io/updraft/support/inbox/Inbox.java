package io.updraft.support.inbox;

import io.quarkus.scheduler.Scheduled;
import io.updraft.events.UpdraftEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * Exactly-once effect over at-least-once delivery: a consumer records each event id it applies in the same
 * transaction as the effect, and skips ids it has already recorded.
 */
@ApplicationScoped
public class Inbox {
    @Inject
    EntityManager entityManager;

    @ConfigProperty(name = "updraft.inbox.retention-days", defaultValue = "14")
    int retentionDays;

    /** @return true the first time {@code consumer} sees the event; false for a redelivery (do nothing then) */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, UpdraftEvent event) {
        int inserted = entityManager.createNativeQuery(
                "insert into processed_event (consumer, event_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, consumer)
                .setParameter(2, event.eventId())
                .executeUpdate();
        return inserted == 1;
    }

    /**
     * {@link #firstDelivery} for a whole polled batch in one statement: records every event id and answers the
     * events {@code consumer} sees for the first time, in the given order. An event id that appears twice in
     * {@code events} is answered once (its first occurrence), so applying the answer gives what applying the events
     * one at a time would.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <E extends UpdraftEvent> List<E> firstDeliveries(String consumer, List<E> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        // distinct and sorted: concurrent batches insert (and wait on) the same keys in the same order
        String[] ids = events.stream().map(UpdraftEvent::eventId).distinct().sorted().toArray(String[]::new);
        Set<String> fresh = new HashSet<>();
        entityManager.flush();
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into processed_event (consumer, event_id)
                    select ?, id from unnest(?::varchar[]) with ordinality as t(id, n) order by n
                    on conflict do nothing returning event_id""")) {
                insert.setString(1, consumer);
                insert.setArray(2, connection.createArrayOf("varchar", ids));
                try (ResultSet rows = insert.executeQuery()) {
                    while (rows.next()) {
                        fresh.add(rows.getString(1));
                    }
                }
            }
        });
        List<E> first = new ArrayList<>(fresh.size());
        for (E event : events) {
            if (fresh.remove(event.eventId())) {
                first.add(event);
            }
        }
        return first;
    }

    /** Redeliveries come within minutes; two weeks of ids is ample and keeps the table bounded. */
    @Scheduled(every = "1h", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void forgetOldIds() {
        entityManager.createNativeQuery(
                "delete from processed_event where processed_at < now() - make_interval(days => ?1)")
                .setParameter(1, retentionDays)
                .executeUpdate();
    }
}
