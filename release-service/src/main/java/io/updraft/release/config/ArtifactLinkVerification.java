package io.updraft.release.config;

import io.updraft.support.artifacts.ArtifactUrlSigner;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the shared {@link ArtifactUrlSigner} injectable with this service's current and previous keys. */
public class ArtifactLinkVerification {

    // @Singleton, not @ApplicationScoped: the signer is a final class and cannot be proxied
    @Produces
    @Singleton
    ArtifactUrlSigner artifactUrlSigner(ArtifactLinkConfig config) {
        return ArtifactUrlSigner.configured(config.urlSigningKey(), config.urlSigningPreviousKeys());
    }
}
