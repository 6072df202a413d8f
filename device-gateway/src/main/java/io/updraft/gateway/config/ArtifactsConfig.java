package io.updraft.gateway.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "updraft.artifacts")
public interface ArtifactsConfig {
    /** HMAC key shared with the release-service; signs every download link. No production default on purpose. */
    String urlSigningKey();

    /**
     * Retired keys (comma-separated) the shared signer still accepts when verifying; the gateway only signs, so they
     * matter here only for one Secret serving both services during a rotation (docs/operations/key-rotation.md).
     */
    Optional<String> urlSigningPreviousKeys();
}
