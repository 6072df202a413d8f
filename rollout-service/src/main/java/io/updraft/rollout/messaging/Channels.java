package io.updraft.rollout.messaging;

import io.updraft.events.Topics;

/** Incoming channel names (= topic names); tests reuse them. */
public final class Channels {
    public static final String RELEASES = Topics.RELEASES;
    public static final String DEVICE_REPORTS = Topics.DEVICE_REPORTS;
    public static final String ROLLBACKS = Topics.ROLLBACKS;
    public static final String FLEET_HEALTH = Topics.FLEET_HEALTH;
    /** The tenant registry (compacted), read whole by every instance: {@link TenantsConsumer}. */
    public static final String TENANTS = Topics.TENANTS;

    private Channels() {
    }
}
