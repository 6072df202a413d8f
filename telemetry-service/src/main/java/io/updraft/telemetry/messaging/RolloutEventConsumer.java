package io.updraft.telemetry.messaging;

import io.smallrye.common.annotation.Blocking;
import io.updraft.events.EventJson;
import io.updraft.events.RolloutEvent;
import io.updraft.events.RolloutEvent.RolloutAborted;
import io.updraft.events.RolloutEvent.RolloutCompleted;
import io.updraft.events.RolloutEvent.RolloutCreated;
import io.updraft.events.RolloutEvent.RolloutRolledBack;
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
    @Transactional
    public void onRolloutEvent(String payload) {
        RolloutEvent event = EventJson.read(payload, RolloutEvent.class);
        if (!inbox.firstDelivery(CONSUMER, event)) {
            return;
        }
        // waves starting, pauses and resumes change nothing telemetry judges
        if (event instanceof RolloutCreated created) {
            lifecycle.created(created);
        } else if (event instanceof RolloutCompleted || event instanceof RolloutAborted) {
            lifecycle.finished(event.rolloutId());
        } else if (event instanceof RolloutRolledBack rolledBack) {
            lifecycle.rolledBack(rolledBack.rolloutId(), rolledBack.cohort());
        }
    }
}
