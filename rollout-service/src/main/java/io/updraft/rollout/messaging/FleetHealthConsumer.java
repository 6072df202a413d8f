package io.updraft.rollout.messaging;

import io.updraft.support.persistence.OutlastingOutages;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.updraft.events.EventJson;
import io.updraft.events.FleetHealthEvent;
import io.updraft.rollout.service.HealthGate;
import io.updraft.support.inbox.Inbox;
import io.updraft.support.tenant.Tenants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Telemetry's health windows, for the health gate of gated rollouts; windows of other rollouts are ignored. */
@ApplicationScoped
public class FleetHealthConsumer {
    static final String CONSUMER = "rollout-service.fleet-health";

    @Inject
    Inbox inbox;
    @Inject
    RecordTenants recordTenants;
    @Inject
    HealthGate gate;

    @Incoming(Channels.FLEET_HEALTH)
    @Blocking
    public void onHealth(String payload) {
        // not @Transactional: a record that arrives while the database is down is held until it is back, not parked
        OutlastingOutages.inTransaction("a fleet-health record", () -> apply(payload));
    }

    /** In the record's tenant (ADR 0021): its rows, its rollouts, its events. */
    private void apply(String payload) {
        String tenant = recordTenants.of(payload);
        FleetHealthEvent event = EventJson.read(payload, FleetHealthEvent.class);
        Tenants.runAs(tenant, () -> apply(tenant, event));
    }

    private void apply(String tenant, FleetHealthEvent event) {
        if (!inbox.firstDelivery(RecordTenants.inboxConsumer(tenant, CONSUMER), event)) {
            return;
        }
        if (event instanceof FleetHealthEvent.HealthWindowClosed window) {
            gate.windowClosed(window);
        }
    }
}
