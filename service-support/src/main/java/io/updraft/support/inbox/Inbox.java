package io.updraft.support.inbox;

import io.quarkus.scheduler.Scheduled;
import io.updraft.events.UpdraftEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

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
