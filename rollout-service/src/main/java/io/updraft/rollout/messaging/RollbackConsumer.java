package io.updraft.rollout.messaging;

import io.updraft.support.persistence.OutlastingOutages;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.updraft.events.EventJson;
import io.updraft.events.RollbackEvent;
import io.updraft.events.UnknownReferenceException;
import io.updraft.rollout.domain.JsonColumns;
import io.updraft.rollout.persistence.WaveRepository;
import io.updraft.rollout.service.CohortRollback;
import io.updraft.support.inbox.Inbox;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Telemetry's rollback decisions. A decision about a rollout or cohort this service does not know is parked on the
 * dead-letter topic (nothing rolled back): telemetry learns of rollouts and cohorts from this service's events, so it
 * cannot know one this service lacks unless the record is forged or misrouted.
 */
@ApplicationScoped
public class RollbackConsumer {
    static final String CONSUMER = "rollout-service.rollbacks";
    private static final Logger LOG = Logger.getLogger(RollbackConsumer.class);

    @Inject
    Inbox inbox;
    @Inject
    RecordTenants recordTenants;
    @Inject
    CohortRollback rollback;
    @Inject
    WaveRepository waves;

    @Incoming(Channels.ROLLBACKS)
    @Blocking
    public void onRollback(String payload) {
        // not @Transactional: a record that arrives while the database is down is held until it is back, not parked
        OutlastingOutages.inTransaction("a rollbacks record", () -> apply(payload));
    }

    /** In the record's tenant (ADR 0021): its rows, its rollouts, its events. */
    private void apply(String payload) {
        String tenant = recordTenants.of(payload);
        RollbackEvent event = EventJson.read(payload, RollbackEvent.class);
        Tenants.runAs(tenant, () -> apply(tenant, event));
    }

    private void apply(String tenant, RollbackEvent event) {
        if (!inbox.firstDelivery(RecordTenants.inboxConsumer(tenant, CONSUMER), event)) {
            return;
        }
        if (event instanceof RollbackEvent.RollbackTriggered triggered) {
            CohortRollback.Outcome outcome = rollback.rollBack(triggered.rolloutId(), triggered.cohort(),
                    triggered.reason());
            if (outcome == CohortRollback.Outcome.UNKNOWN_ROLLOUT || outcome == CohortRollback.Outcome.UNKNOWN_COHORT) {
                // thrown inside the transaction: the inbox entry is undone and the record goes to rollbacks.dlq
                throw new UnknownReferenceException("RollbackTriggered " + triggered.eventId() + " names "
                        + (outcome == CohortRollback.Outcome.UNKNOWN_ROLLOUT ? "rollout " + triggered.rolloutId()
                                : "cohort " + triggered.cohort() + " of rollout " + triggered.rolloutId())
                        + ", which does not exist here");
            }
            if (outcome == CohortRollback.Outcome.ROLLED_BACK && triggered.evidence() != null) {
                waves.recordRollbackEvidence(triggered.rolloutId(), triggered.cohort(),
                        JsonColumns.write(triggered.evidence()));
            }
            LOG.infof("rollback of cohort %s in rollout %s: %s", triggered.cohort(), triggered.rolloutId(), outcome);
        }
    }
}
