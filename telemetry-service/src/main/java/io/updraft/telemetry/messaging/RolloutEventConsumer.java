package io.updraft.telemetry.messaging;

import io.updraft.support.persistence.OutlastingOutages;
import io.smallrye.common.annotation.Blocking;
import io.updraft.events.EventJson;
import io.updraft.events.RolloutEvent.RolloutAborted;
import io.updraft.events.RolloutEvent.RolloutApproved;
import io.updraft.events.RolloutEvent.RolloutAwaitingApproval;
import io.updraft.events.RolloutEvent.RolloutCompleted;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.events.RolloutEvent.RolloutGroupStarted;
import io.updraft.events.RolloutEvent.RolloutPaused;
import io.updraft.events.RolloutEvent.RolloutResumed;
import io.updraft.events.RolloutEvent.RolloutRolledBack;
import io.updraft.events.RolloutEvent.RolloutScheduled;
import io.updraft.events.RolloutEvent.RolloutStarted;
import io.updraft.events.RolloutEvent;
import io.updraft.support.inbox.Inbox;
import io.updraft.telemetry.service.RolloutLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

@ApplicationScoped
public class RolloutEventConsumer {
    static final String CONSUMER = "telemetry-service.rollout-events";

    @Inject
    Inbox inbox;
    @Inject
    RolloutLifecycle lifecycle;

    @Incoming(Channels.ROLLOUT_EVENTS)
    @Blocking
    public void onRolloutEvent(String payload) {
        // not @Transactional: a record that arrives while the database is down is held until it is back, not parked
        OutlastingOutages.inTransaction("a rollout-events record", () -> apply(payload));
    }

    private void apply(String payload) {
        RolloutEvent event = EventJson.read(payload, RolloutEvent.class);
        // the rollout's tenant (ADR 0021): a "tenant" that is no tenant id throws, and the record is parked
        String tenant = EventJson.tenantOf(payload);
        if (!inbox.firstDelivery(CONSUMER, event)) {
            return;
        }
        if (event instanceof RolloutCreated created) {
            lifecycle.created(tenant, created);
        } else if (event instanceof RolloutGroupStarted started) {
            lifecycle.waveStarted(tenant, started.rolloutId(), started.wave());
        } else if (event instanceof RolloutPaused paused) {
            lifecycle.changed(tenant, paused.rolloutId(), "PAUSED", paused.reason());
        } else if (event instanceof RolloutResumed resumed) {
            lifecycle.changed(tenant, resumed.rolloutId(), "RUNNING", null);
        } else if (event instanceof RolloutScheduled scheduled) {
            lifecycle.changed(tenant, scheduled.rolloutId(), "SCHEDULED", "starts at " + scheduled.startAt());
        } else if (event instanceof RolloutAwaitingApproval waiting) {
            lifecycle.changed(tenant, waiting.rolloutId(), "WAITING_FOR_APPROVAL", "wave " + waiting.wave() + " ("
                    + waiting.deviceCount() + " devices) waits for approval");
        } else if (event instanceof RolloutApproved || event instanceof RolloutStarted) {
            lifecycle.changed(tenant, event.rolloutId(), "RUNNING", null);
        } else if (event instanceof RolloutCompleted) {
            lifecycle.changed(tenant, event.rolloutId(), "COMPLETED", null);
            lifecycle.finished(tenant, event.rolloutId());
        } else if (event instanceof RolloutAborted aborted) {
            lifecycle.changed(tenant, event.rolloutId(), "ABORTED", aborted.reason());
            lifecycle.finished(tenant, event.rolloutId());
        } else if (event instanceof RolloutRolledBack rolledBack) {
            lifecycle.rolledBack(tenant, rolledBack.rolloutId(), rolledBack.cohort());
        }
    }
}
