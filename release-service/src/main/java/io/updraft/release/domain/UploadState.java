package io.updraft.release.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a two-step upload: CREATED (the URL is handed out) → RECEIVING (one PUT is streaming the bytes; a
 * failed transfer goes back to CREATED so CI can retry) → RECEIVED (hashed, checked, staged) → USED (adopted by a
 * release; never again). Expiry removes an upload in any state but USED.
 */
public enum UploadState {
    CREATED,
    RECEIVING,
    RECEIVED,
    USED;

    public boolean canBecome(UploadState next) {
        return successors().contains(next);
    }

    private Set<UploadState> successors() {
        return switch (this) {
            case CREATED -> EnumSet.of(RECEIVING);
            case RECEIVING -> EnumSet.of(CREATED, RECEIVED);
            case RECEIVED -> EnumSet.of(USED);
            case USED -> EnumSet.noneOf(UploadState.class);
        };
    }
}
