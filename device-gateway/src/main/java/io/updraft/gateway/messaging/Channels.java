package io.updraft.gateway.messaging;

import io.updraft.events.Topics;

/** Incoming channel names (= topic names); tests reuse them. */
public final class Channels {
    public static final String DEVICE_COMMANDS = Topics.DEVICE_COMMANDS;

    private Channels() {
    }
}
