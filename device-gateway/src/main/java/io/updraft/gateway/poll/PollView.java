package io.updraft.gateway.poll;

/**
 * Everything a poll (and TargetToken authentication) needs to know about one device, small enough to keep in
 * memory for every device. {@code offer} is null when nothing is pending.
 */
public record PollView(String controllerId, boolean known, String tokenSha256, boolean registered,
        boolean attributesReported, Offer offer) {

    public static PollView unknown(String controllerId) {
        return new PollView(controllerId, false, null, false, false, null);
    }

    public boolean pending() {
        return offer != null;
    }

    /** What the poll links to: the deployment of an action, or the cancel of one. */
    public record Offer(long actionId, Kind kind, String linkHash) {
    }

    public enum Kind {
        DEPLOYMENT, CANCEL
    }
}
