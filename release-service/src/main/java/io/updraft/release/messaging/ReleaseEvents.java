package io.updraft.release.messaging;

import io.updraft.events.ArtifactRef;
import io.updraft.events.EventMeta;
import io.updraft.events.HardwareCompatibility;
import io.updraft.events.ReleaseEvent.ReleaseMarkedStable;
import io.updraft.events.ReleaseEvent.ReleasePublished;
import io.updraft.events.ReleaseEvent.ReleaseRevoked;
import io.updraft.events.UpdraftEvent;
import io.updraft.release.domain.Artifact;
import io.updraft.release.domain.HardwareTarget;
import io.updraft.release.domain.Release;

/** Entities never go on the wire: this turns them into the event records the outbox publishes on releases. */
public final class ReleaseEvents {
    private ReleaseEvents() {
    }

    public static ReleasePublished toPublished(Release release) {
        return new ReleasePublished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, release.id(),
                release.name(), release.version(),
                release.artifacts().stream().map(ReleaseEvents::toRef).toList(),
                release.hardware().stream().map(ReleaseEvents::toCompatibility).toList());
    }

    public static ReleaseMarkedStable toMarkedStable(Release release) {
        return new ReleaseMarkedStable(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, release.id());
    }

    public static ReleaseRevoked toRevoked(Release release) {
        return new ReleaseRevoked(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, release.id(),
                release.revokedReason());
    }

    private static ArtifactRef toRef(Artifact a) {
        return new ArtifactRef(a.id(), a.part(), a.filename(), a.size(), a.sha256(), a.sha1(), a.md5(), a.role());
    }

    private static HardwareCompatibility toCompatibility(HardwareTarget h) {
        return new HardwareCompatibility(h.model(), h.revision());
    }
}
