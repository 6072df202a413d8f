package io.updraft.release.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a release: a DRAFT is stored but unannounced; PUBLISHED is on the releases topic and may be rolled
 * out; STABLE is a published release an operator vouched for; REVOKED is never offered to a device again and stays
 * revoked.
 */
public enum ReleaseState {
    DRAFT,
    PUBLISHED,
    STABLE,
    REVOKED;

    public boolean canBecome(ReleaseState next) {
        return successors().contains(next);
    }

    /** Devices may download its artifacts. */
    public boolean isOffered() {
        return this == PUBLISHED || this == STABLE;
    }

    private Set<ReleaseState> successors() {
        return switch (this) {
            case DRAFT -> EnumSet.of(PUBLISHED, REVOKED);
            case PUBLISHED -> EnumSet.of(STABLE, REVOKED);
            case STABLE -> EnumSet.of(REVOKED);
            case REVOKED -> EnumSet.noneOf(ReleaseState.class);
        };
    }
}
