package io.updraft.gateway.config;

import io.updraft.support.artifacts.ArtifactUrlSigner;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Duration;

public class GatewayBeans {
    @Produces
    @Singleton
    ArtifactUrlSigner artifactUrlSigner(ArtifactsConfig config) {
        return ArtifactUrlSigner.configured(config.urlSigningKey(), config.urlSigningPreviousKeys());
    }

    /** HTTP/1.1 on purpose: no h2c upgrade dance with the release-service for every download. */
    @Produces
    @Singleton
    HttpClient releaseServiceClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }
}
