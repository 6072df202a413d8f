package io.updraft.release.mapping;

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
import io.updraft.release.rest.ReleaseView;
import io.updraft.release.rest.ReleaseView.ArtifactView;
import io.updraft.release.rest.ReleaseView.HardwareView;
import java.util.TreeMap;

/** Entities never go on the wire: this turns them into API views and event records. */
public final class ReleaseMapper {
    private ReleaseMapper() {
    }

    public static ReleaseView toView(Release release) {
        return new ReleaseView(release.id(), release.name(), release.version(), release.state(), release.notes(),
                release.minInstalledVersion(), new TreeMap<>(release.labels()),
                release.hardware().stream().map(h -> new HardwareView(h.model(), h.revision())).toList(),
                release.artifacts().stream().map(ReleaseMapper::toView).toList(),
                release.createdAt(), release.stateChangedAt(), release.revokedReason());
    }

    public static ReleasePublished toPublished(Release release) {
        return new ReleasePublished(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, release.id(),
                release.name(), release.version(),
                release.artifacts().stream().map(ReleaseMapper::toRef).toList(),
                release.hardware().stream().map(ReleaseMapper::toCompatibility).toList());
    }

    public static ReleaseMarkedStable toMarkedStable(Release release) {
        return new ReleaseMarkedStable(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, release.id());
    }

    public static ReleaseRevoked toRevoked(Release release) {
        return new ReleaseRevoked(EventMeta.newId(), EventMeta.now(), UpdraftEvent.SCHEMA_VERSION, release.id(),
                release.revokedReason());
    }

    public static ArtifactView toView(Artifact a) {
        return new ArtifactView(a.id(), a.part(), a.filename(), a.size(), a.sha256(), a.sha1(), a.md5(),
                a.signedBy());
    }

    private static ArtifactRef toRef(Artifact a) {
        return new ArtifactRef(a.id(), a.part(), a.filename(), a.size(), a.sha256(), a.sha1(), a.md5());
    }

    private static HardwareCompatibility toCompatibility(HardwareTarget h) {
        return new HardwareCompatibility(h.model(), h.revision());
    }
}
