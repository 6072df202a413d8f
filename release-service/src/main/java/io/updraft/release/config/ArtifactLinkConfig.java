package io.updraft.release.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "updraft.artifacts")
public interface ArtifactLinkConfig {
    /**
     * HMAC key shared with the device-gateway, which signs the download links it hands to devices. No default:
     * a production service must not start with a key anyone can read in the source.
     */
    String urlSigningKey();

    /**
     * Keys retired from signing that still verify links (comma-separated), while the links they signed can still be
     * in use: a key rotation (docs/operations/key-rotation.md). Absent: only the current key verifies.
     */
    Optional<String> urlSigningPreviousKeys();
}
