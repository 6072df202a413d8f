package io.updraft.telemetry.messaging;

import io.updraft.support.persistence.OutlastingOutages;
import io.smallrye.common.annotation.Blocking;
import io.updraft.events.EventJson;
import io.updraft.events.RollbackEvent.RollbackTriggered;
import io.updraft.events.RollbackEvent;
import io.updraft.support.inbox.Inbox;
import io.updraft.telemetry.service.RollbackLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The health topology's own decisions, read back into the database the REST API answers from. */
@ApplicationScoped
public class RollbackConsumer {
    static final String CONSUMER = "telemetry-service.rollbacks";

    @Inject
    Inbox inbox;
    @Inject
    RollbackLedger ledger;

    @Incoming(Channels.ROLLBACKS)
    @Blocking
    public void onRollback(String payload) {
        // not @Transactional: a record that arrives while the database is down is held until it is back, not parked
        OutlastingOutages.inTransaction("a rollbacks record", () -> apply(payload));
    }

    private void apply(String payload) {
        RollbackEvent event = EventJson.read(payload, RollbackEvent.class);
        String tenant = EventJson.tenantOf(payload);
        if (!inbox.firstDelivery(CONSUMER, event)) {
            return;
        }
        if (event instanceof RollbackTriggered triggered && triggered.evidence() != null) {
            ledger.record(tenant, triggered);
        }
    }
}
