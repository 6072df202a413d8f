package io.updraft.gateway.domain;

import java.time.Instant;

/**
 * Everything a poll (and TargetToken authentication) needs to know about one device, kept in memory for every
 * device, so kept small: the token hash as 32 raw bytes, flags, the id of the last finished action (0 = none) and an
 * {@code offer} only while something is pending (null otherwise).
 */
public record PollView(boolean known, byte[] tokenSha256, boolean registered, boolean attributesReported,
        long installedActionId, Offer offer) {

    public static final PollView UNKNOWN = new PollView(false, null, false, false, 0, null);
    /**
     * The answer of a first contact refused because its tenant is at its device quota ({@link DeviceQuotaExceeded}):
     * no row, never cached (it is not known), told apart from {@link #UNKNOWN} by identity ({@link #refused()}).
     */
    public static final PollView OVER_QUOTA = new PollView(false, null, false, false, 0, null);

    /** Whether this is {@link #OVER_QUOTA}: the device was not registered because of its tenant's device quota. */
    public boolean refused() {
        return this == OVER_QUOTA;
    }

    public boolean pending() {
        return offer != null;
    }

    /**
     * What the poll links to: the deployment of an action, its confirmation, or the cancel of one. {@code expiresAtMillis} is
     * {@link #NEVER} for actions without expiry (and for cancels, which do not expire).
     */
    public record Offer(long actionId, Kind kind, String linkHash, long expiresAtMillis) {
        public static final long NEVER = Long.MAX_VALUE;

        public static long expiry(Instant expiresAt) {
            return expiresAt == null ? NEVER : expiresAt.toEpochMilli();
        }

        public boolean expiredAt(Instant now) {
            return expiresAtMillis != NEVER && now.toEpochMilli() >= expiresAtMillis;
        }
    }

    public enum Kind {
        DEPLOYMENT, CANCEL,
        /** An action waiting for the device's confirmation: linked as confirmationBase. */
        CONFIRMATION
    }
}
