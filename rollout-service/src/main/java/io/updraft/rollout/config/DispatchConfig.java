package io.updraft.rollout.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How started waves' commands are streamed to {@code device-commands}. */
@ConfigMapping(prefix = "updraft.dispatch")
public interface DispatchConfig {
    /** Commands sent (and acknowledged) per transaction on a wave's cursor; a crash re-sends at most this many. */
    @WithDefault("20000")
    int chunkSize();

    /** How often an idle dispatcher looks for waves another replica started; local commits wake it at once. */
    @WithDefault("PT0.25S")
    Duration idlePoll();
}
