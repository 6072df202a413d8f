package io.updraft.rollout.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.updraft.events.EventJson;
import io.updraft.events.RollbackEvent;
import io.updraft.rollout.service.CohortRollback;
import io.updraft.support.inbox.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Telemetry's rollback decisions; a decision about an unknown rollout or cohort is ignored. */
@ApplicationScoped
public class RollbackConsumer {
    static final String CONSUMER = "rollout-service.rollbacks";
    private static final Logger LOG = Logger.getLogger(RollbackConsumer.class);

    @Inject
    Inbox inbox;
    @Inject
    CohortRollback rollback;

    @Incoming(Channels.ROLLBACKS)
    @Blocking
    @Transactional
    public void onRollback(String payload) {
        RollbackEvent event = EventJson.read(payload, RollbackEvent.class);
        if (!inbox.firstDelivery(CONSUMER, event)) {
            return;
        }
        if (event instanceof RollbackEvent.RollbackTriggered triggered) {
            CohortRollback.Outcome outcome = rollback.rollBack(triggered.rolloutId(), triggered.cohort(),
                    triggered.reason());
            LOG.infof("rollback of cohort %s in rollout %s: %s", triggered.cohort(), triggered.rolloutId(), outcome);
        }
    }
}
