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
