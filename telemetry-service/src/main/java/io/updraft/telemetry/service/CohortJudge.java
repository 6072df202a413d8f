package io.updraft.telemetry.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.updraft.events.EventMeta;
import io.updraft.events.RollbackEvent.Evidence;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.UpdraftEvent;
import io.updraft.support.outbox.Outbox;
import io.updraft.telemetry.domain.CohortCount;
import io.updraft.telemetry.domain.CohortKey;
import io.updraft.telemetry.repository.RollbackDecisionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Turns a cohort that breached its rule into exactly one RollbackTriggered, in the transaction that saw it. */
@ApplicationScoped
public class CohortJudge {
    private static final Logger LOG = Logger.getLogger(CohortJudge.class);

    private final RollbackDecisionRepository decisions;
    private final Outbox outbox;
    private final TransactionSynchronizationRegistry transactions;
    private final Counter triggered;

    @Inject
    public CohortJudge(RollbackDecisionRepository decisions, Outbox outbox,
            TransactionSynchronizationRegistry transactions, MeterRegistry meters) {
        this.decisions = decisions;
        this.outbox = outbox;
        this.transactions = transactions;
        this.triggered = Counter.builder("updraft.rollbacks.triggered")
                .description("Cohort rollbacks this service decided").register(meters);
    }

    @Transactional(TxType.MANDATORY)
    public void judge(String rolloutId, CohortCount count, RollbackRule rule) {
        Optional<String> reason = rule.breachedBy(count.tally());
        if (reason.isEmpty()) {
            return;
        }
        Instant now = EventMeta.now();
        Evidence evidence = new Evidence(count.tally().succeeded(), count.tally().failed(),
                count.tally().failureRate(), rule.failureRateThreshold(), rule.minSampleSize(), count.firstReportAt(),
                now);
        if (!decisions.decideOnce(new CohortKey(rolloutId, count.cohort()), reason.get(), evidence)) {
            return; // decided before: by an earlier report, another replica, or before a restart
        }
        outbox.append(new RollbackTriggered(EventMeta.newId(), now, UpdraftEvent.SCHEMA_VERSION, rolloutId,
                count.cohort(), reason.get(), evidence));
        afterCommit(() -> {
            triggered.increment();
            LOG.infof("rollback triggered for rollout %s cohort %s: %s", rolloutId, count.cohort(), reason.get());
        });
    }

    /** The counter must not count a decision whose transaction rolls back (it will be taken again on redelivery). */
    private void afterCommit(Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }
}
