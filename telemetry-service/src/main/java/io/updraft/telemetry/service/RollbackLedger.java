package io.updraft.telemetry.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.telemetry.domain.CohortKey;
import io.updraft.telemetry.persistence.RollbackDecisionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;

/**
 * Records the health topology's decisions (read back from {@code rollbacks}) for the REST API and the dashboard. The
 * decision itself was taken once by the topology; the primary key keeps this record once as well.
 */
// at start, so its counter is on /q/metrics before the first decision
@Startup
@ApplicationScoped
public class RollbackLedger {
    private final RollbackDecisionRepository decisions;
    private final TransactionSynchronizationRegistry transactions;
    private final Counter triggered;

    @Inject
    public RollbackLedger(RollbackDecisionRepository decisions, TransactionSynchronizationRegistry transactions,
            MeterRegistry meters) {
        this.decisions = decisions;
        this.transactions = transactions;
        this.triggered = Counter.builder("updraft.rollbacks.triggered")
                .description("Cohort rollbacks decided by the health topology").register(meters);
    }

    @Transactional(TxType.MANDATORY)
    public void record(String tenant, RollbackTriggered trigger) {
        if (decisions.decideOnce(new CohortKey(tenant, trigger.rolloutId(), trigger.cohort()), trigger.reason(),
                trigger.evidence())) {
            afterCommit(triggered::increment);
        }
    }

    /** The counter must not count a record whose transaction rolls back (it is recorded again on redelivery). */
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
