package io.updraft.gateway.messaging;

import io.updraft.events.Topics;

/** Incoming channel names (= topic names); tests reuse them. */
public final class Channels {
    public static final String DEVICE_COMMANDS = Topics.DEVICE_COMMANDS;
    /** The tenant registry, read whole by every instance (TenantsConsumer). */
    public static final String TENANTS = Topics.TENANTS;

    private Channels() {
    }
}
