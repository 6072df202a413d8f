package io.updraft.rollout.messaging;

import io.updraft.support.persistence.OutlastingOutages;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.updraft.events.EventJson;
import io.updraft.events.MalformedEventException;
import io.updraft.events.ReleaseEvent;
import io.updraft.events.UnknownReferenceException;
import io.updraft.rollout.persistence.ReleaseCatalog;
import io.updraft.rollout.service.ReleaseRevocation;
import io.updraft.support.inbox.Inbox;
import io.updraft.support.tenant.Tenants;
import io.updraft.support.validation.Inputs;
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
    RecordTenants recordTenants;
    @Inject
    ReleaseCatalog catalog;
    @Inject
    ReleaseRevocation revocation;

    /** What the catalog stores must fit its columns and be text PostgreSQL can hold (no NUL). */
    private static ReleaseEvent.ReleasePublished checked(ReleaseEvent.ReleasePublished published) {
        if (!Inputs.isIdentifier(published.releaseId(), 64) || !Inputs.isLine(published.name(), 200)
                || published.name() == null || !Inputs.isLine(published.version(), 100) || published.version() == null
                || published.hardware().stream().anyMatch(h -> h == null || !Inputs.isLine(h.model(), 200)
                        || !Inputs.isLine(h.revision(), 200))) {
            throw new MalformedEventException("ReleasePublished " + published.eventId()
                    + " has an id, name, version or hardware this catalog cannot hold (too long or control characters)");
        }
        return published;
    }

    @Incoming(Channels.RELEASES)
    @Blocking
    public void onRelease(String payload) {
        // not @Transactional: a record that arrives while the database is down is held until it is back, not parked
        OutlastingOutages.inTransaction("a releases record", () -> apply(payload));
    }

    /** In the record's tenant (ADR 0021): its rows, its rollouts, its events. */
    private void apply(String payload) {
        String tenant = recordTenants.of(payload);
        ReleaseEvent event = EventJson.read(payload, ReleaseEvent.class);
        Tenants.runAs(tenant, () -> apply(tenant, event));
    }

    private void apply(String tenant, ReleaseEvent event) {
        if (!inbox.firstDelivery(RecordTenants.inboxConsumer(tenant, CONSUMER), event)) {
            return;
        }
        if (event instanceof ReleaseEvent.ReleasePublished published) {
            catalog.publish(checked(published));
        } else if (event instanceof ReleaseEvent.ReleaseMarkedStable stable) {
            if (catalog.markStable(stable.releaseId()) == 0) {
                // release-service promotes only a published release, and its ReleasePublished came first (same key)
                throw new UnknownReferenceException("ReleaseMarkedStable " + stable.eventId() + " names release "
                        + stable.releaseId() + ", which was never published");
            }
        } else if (event instanceof ReleaseEvent.ReleaseRevoked revoked) {
            // a draft revoked before it was published was never in the catalog: nothing to revoke or stop
            catalog.revoke(revoked.releaseId());
            revocation.stopRolloutsOf(revoked.releaseId(), revoked.reason());
        }
    }
}
