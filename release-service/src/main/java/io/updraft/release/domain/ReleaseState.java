package io.updraft.release.domain;

import java.util.EnumSet;
import java.util.Set;

/** The life of a release: published by CI, later promoted to stable or revoked. A revoked release stays revoked. */
public enum ReleaseState {
    PUBLISHED,
    STABLE,
    REVOKED;

    public boolean canBecome(ReleaseState next) {
        return successors().contains(next);
    }

    private Set<ReleaseState> successors() {
        return switch (this) {
            case PUBLISHED -> EnumSet.of(STABLE, REVOKED);
            case STABLE -> EnumSet.of(REVOKED);
            case REVOKED -> EnumSet.noneOf(ReleaseState.class);
        };
    }
}
