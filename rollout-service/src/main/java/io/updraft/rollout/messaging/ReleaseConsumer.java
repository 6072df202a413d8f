package io.updraft.rollout.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.updraft.events.EventJson;
import io.updraft.events.ReleaseEvent;
import io.updraft.rollout.repository.ReleaseCatalog;
import io.updraft.rollout.service.ReleaseRevocation;
import io.updraft.support.inbox.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the release catalog: what may be rolled out, with the artifacts devices will download. A revoked release
 * also stops its running and paused rollouts, in the same transaction.
 */
@ApplicationScoped
public class ReleaseConsumer {
    static final String CONSUMER = "rollout-service.releases";

    @Inject
    Inbox inbox;
    @Inject
    ReleaseCatalog catalog;
    @Inject
    ReleaseRevocation revocation;

    @Incoming(Channels.RELEASES)
    @Blocking
    @Transactional
    public void onRelease(String payload) {
        ReleaseEvent event = EventJson.read(payload, ReleaseEvent.class);
        if (!inbox.firstDelivery(CONSUMER, event)) {
            return;
        }
        if (event instanceof ReleaseEvent.ReleasePublished published) {
            catalog.publish(published);
        } else if (event instanceof ReleaseEvent.ReleaseMarkedStable stable) {
            catalog.markStable(stable.releaseId());
        } else if (event instanceof ReleaseEvent.ReleaseRevoked revoked) {
            catalog.revoke(revoked.releaseId());
            revocation.stopRolloutsOf(revoked.releaseId(), revoked.reason());
        }
    }
}
