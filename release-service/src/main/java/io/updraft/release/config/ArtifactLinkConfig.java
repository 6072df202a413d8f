package io.updraft.release.config;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "updraft.artifacts")
public interface ArtifactLinkConfig {
    /**
     * HMAC key shared with the device-gateway, which signs the download links it hands to devices. No default:
     * a production service must not start with a key anyone can read in the source.
     */
    String urlSigningKey();
}
