package io.updraft.telemetry.messaging;

import io.updraft.events.Topics;

/** Incoming channel names; each channel reads the topic of the same name. */
public final class Channels {
    public static final String DEVICE_REPORTS = Topics.DEVICE_REPORTS;
    public static final String DEVICE_TELEMETRY = Topics.DEVICE_TELEMETRY;
    public static final String ROLLOUT_EVENTS = Topics.ROLLOUT_EVENTS;

    private Channels() {
    }
}
