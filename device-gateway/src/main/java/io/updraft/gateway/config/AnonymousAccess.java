package io.updraft.gateway.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code updraft.gateway.anonymous-enabled} lets any caller act as any device: meant for closed test networks only.
 * A production start with it set is refused, so a stray environment variable cannot open the fleet.
 */
@Singleton
public class AnonymousAccess {

    void check(@Observes StartupEvent startup, GatewayConfig config) {
        refuseInProduction(config.anonymousEnabled(), LaunchMode.current());
    }

    static void refuseInProduction(boolean anonymousEnabled, LaunchMode mode) {
        if (anonymousEnabled && mode == LaunchMode.NORMAL) {
            throw new IllegalStateException("updraft.gateway.anonymous-enabled=true is refused in production: every"
                    + " device must authenticate with a TargetToken or GatewayToken");
        }
    }
}
