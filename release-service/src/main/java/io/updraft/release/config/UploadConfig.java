package io.updraft.release.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "updraft.upload")
public interface UploadConfig {
    /**
     * The largest publish request (all files plus metadata) and the largest two-step upload. A request that announces
     * more is answered 413 before its body is read; one that sends more without announcing it is cut off with a 413
     * as soon as it passes the limit. {@code quarkus.http.limits.max-body-size} is set to the same value.
     */
    @WithDefault("2G")
    MemorySize maxSize();

    /** How long a two-step upload URL can be used, and how long its received bytes wait for a publish. */
    @WithDefault("PT1H")
    Duration urlLifetime();

    /** How often expired uploads (and their staged bytes) are removed; read by the sweep's {@code @Scheduled}. */
    @WithDefault("60s")
    String sweepEvery();

    /** How long a used upload is remembered after its expiry, so that a second use is answered "already used". */
    @WithDefault("P7D")
    Duration usedRetention();
}
