package io.updraft.support.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "updraft.outbox")
public interface OutboxConfig {
    /** Off only in tests that prove nothing is lost while the relay is down. */
    @WithDefault("true")
    boolean relayEnabled();

    @WithDefault("1000")
    int batchSize();

    /** How often an idle relay looks for rows other replicas wrote; local commits wake it at once. */
    @WithDefault("PT0.25S")
    Duration idlePoll();
}
