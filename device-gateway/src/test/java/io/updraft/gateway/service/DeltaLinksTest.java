package io.updraft.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.gateway.config.GatewayConfig;
import io.updraft.gateway.config.ServedTenants;
import java.lang.reflect.Proxy;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The key's configuration: none → no links (the resource's 409, the path's 404); too short → the start fails. */
class DeltaLinksTest {
    private static final String SHA = "ab".repeat(32);

    @Test
    void givenNoKey_thenNothingIsMintedAndNoLinkResolves() {
        DeltaLinks links = links(Optional.empty());

        links.start(null);

        assertThat(links.mint("DEFAULT", SHA)).isEmpty();
        assertThat(links.resolve("DEFAULT", SHA, "anything")).isEmpty();
    }

    @Test
    void givenAKeyShorterThan32Bytes_thenTheStartIsRefused() {
        DeltaLinks links = links(Optional.of(Base64.getEncoder().encodeToString(new byte[16])));

        assertThatThrownBy(() -> links.start(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("updraft.gateway.delta.link-key must be at least 32 bytes");
    }

    @Test
    void givenAKey_thenTheLinkNamesTheTenantTheFileAndItsKey() {
        DeltaLinks links = links(Optional.of(Base64.getEncoder().encodeToString(new byte[32])));

        assertThat(links.mint("DEFAULT", SHA)).get().asString()
                .matches("/delta/v1/DEFAULT/" + SHA + "\\.zck\\?key=[A-Za-z0-9_-]{43}");
    }

    private static DeltaLinks links(Optional<String> key) {
        GatewayConfig.Delta delta = (GatewayConfig.Delta) Proxy.newProxyInstance(DeltaLinksTest.class.getClassLoader(),
                new Class<?>[] { GatewayConfig.Delta.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "linkKey" -> key;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        GatewayConfig config = (GatewayConfig) Proxy.newProxyInstance(DeltaLinksTest.class.getClassLoader(),
                new Class<?>[] { GatewayConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "tenant" -> "DEFAULT";
                    case "delta" -> delta;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        DeltaLinks links = new DeltaLinks();
        links.config = config;
        links.served = ServedTenants.singleTenant("DEFAULT");
        return links;
    }
}
