package io.updraft.telemetry.messaging;

import io.updraft.events.Topics;

/** Incoming channel names; each channel but the dashboard feed reads the topic of the same name. */
public final class Channels {
    public static final String DEVICE_REPORTS = Topics.DEVICE_REPORTS;
    public static final String DEVICE_TELEMETRY = Topics.DEVICE_TELEMETRY;
    public static final String ROLLOUT_EVENTS = Topics.ROLLOUT_EVENTS;
    public static final String ROLLBACKS = Topics.ROLLBACKS;
    /** rollbacks, rollout-events and fleet-health, read by every replica (its own group) for its SSE clients. */
    public static final String DASHBOARD_FEED = "dashboard-feed";

    private Channels() {
    }
}
