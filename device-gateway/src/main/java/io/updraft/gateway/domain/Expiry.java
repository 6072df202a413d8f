package io.updraft.gateway.domain;

import java.time.Instant;

/** An action's {@code expiresAt} against the clock: from that instant on it is due to expire (null: never). */
public final class Expiry {
    private Expiry() {
    }

    public static boolean isDue(Instant expiresAt, Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
