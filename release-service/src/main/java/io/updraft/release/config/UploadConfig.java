package io.updraft.release.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "updraft.upload")
public interface UploadConfig {
    /**
     * The largest publish request (all files plus metadata). A request that announces more is answered 413 before
     * its body is read; {@code quarkus.http.limits.max-body-size} is set to the same value for bodies without a
     * Content-Length.
     */
    @WithDefault("2G")
    MemorySize maxSize();
}
