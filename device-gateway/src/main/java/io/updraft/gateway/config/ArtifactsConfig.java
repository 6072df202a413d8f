package io.updraft.gateway.config;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "updraft.artifacts")
public interface ArtifactsConfig {
    /** HMAC key shared with the release-service; no production default on purpose. */
    String urlSigningKey();
}
