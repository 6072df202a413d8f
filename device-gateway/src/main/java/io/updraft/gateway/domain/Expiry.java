package io.updraft.gateway.domain;

import java.time.Instant;

/** An action's {@code expiresAt} against the clock: from that instant on it is due to expire (null: never). */
public final class Expiry {
    private Expiry() {
    }

    public static boolean isDue(Instant expiresAt, Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** The earlier of two optional instants (null: never). */
    public static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
}
