package io.updraft.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.console.ProxyRoutes.Forward;
import io.updraft.console.ProxyRoutes.Refuse;
import io.updraft.console.ProxyRoutes.Service;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ProxyRoutesTest {

    @ParameterizedTest
    @CsvSource({
            "/release/api/v1/releases, RELEASE, /api/v1/releases",
            "/release/api/v1/releases?name=gw&limit=5, RELEASE, /api/v1/releases?name=gw&limit=5",
            "/release/api/v1/releases/r-1/promote, RELEASE, /api/v1/releases/r-1/promote",
            "/release/api/v1/uploads/u1?token=abc, RELEASE, /api/v1/uploads/u1?token=abc",
            "/release/api/v1/tenants?limit=2&cursor=dDE6QQ, RELEASE, /api/v1/tenants?limit=2&cursor=dDE6QQ",
            "/release/api/v1/tenants/ACME/quotas, RELEASE, /api/v1/tenants/ACME/quotas",
            "/rollout/api/v1/rollouts/preview, ROLLOUT, /api/v1/rollouts/preview",
            "/rollout/api/v1/rollouts/r1/cohorts/gw-200%3A1.0/rollback, ROLLOUT, /api/v1/rollouts/r1/cohorts/gw-200%3A1.0/rollback",
            "/rollout/api/v1/devices?filter=model%20%3D%3D%20%22gw%22, ROLLOUT, /api/v1/devices?filter=model%20%3D%3D%20%22gw%22",
            "/rollout/api/v1/devices/dev-1/history, ROLLOUT, /api/v1/devices/dev-1/history",
            "/gateway/api/v1/devices/dev-1, GATEWAY, /api/v1/devices/dev-1",
            "/gateway/api/v1/devices/dev-1/auto-confirm/activate, GATEWAY, /api/v1/devices/dev-1/auto-confirm/activate",
            "/rollout/api/v1/rollouts?releaseId=rel-1&limit=100, ROLLOUT, /api/v1/rollouts?releaseId=rel-1&limit=100",
            "/telemetry/api/v1/rollouts/r1/health, TELEMETRY, /api/v1/rollouts/r1/health",
            "/telemetry/api/v1/rollbacks?rolloutId=r1, TELEMETRY, /api/v1/rollbacks?rolloutId=r1",
            "/telemetry/api/v1/dashboard/events, TELEMETRY, /api/v1/dashboard/events",
            "/telemetry/api/v1/devices/dev-1/health, TELEMETRY, /api/v1/devices/dev-1/health",
            "/telemetry/api/v1/devices/health/batch, TELEMETRY, /api/v1/devices/health/batch",
    })
    void givenAManagementPath_whenMapped_thenItGoesToItsServiceAtTheServicesOwnPath(String target, Service service,
            String upstream) {
        assertThat(ProxyRoutes.map(target)).isEqualTo(new Forward(service, upstream));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/release/api/v1/releases/..%2F..%2Finternal/v1/artifacts/a", // encoded slash
            "/release/api/v1/releases/%2e%2e/%2e%2e/internal/v1/artifacts/a", // encoded dot segments
            "/release/api/v1/releases/../../internal/v1/artifacts/a", // literal dot segments
            "/rollout/api/v1/rollouts/./x",
            "/rollout/api/v1/rollouts/x%00y", // NUL
            "/release/api/v1/tenants/a%2Fb/quotas", // encoded slash in a tenant id
            "/release/api/v1/tenants/a%00b", // NUL in a tenant id
            "/rollout/api/v1/rollouts/x%5c..%5cq", // encoded backslash
            "/rollout/api/v1/rollouts/x\\..\\q", // backslash
            "/rollout/api/v1/rollouts/x;jsessionid=1", // matrix parameter
            "/rollout/api/v1/rollouts//x", // empty segment
            "/rollout/api/v1/rollouts/x%2", // malformed escape
            "/rollout/api/v1/rollouts/x%zz",
            "/rollout/api/v1/rollouts/x%3Fy", // encoded '?'
            "/rollout/api/v1/rollouts/x%25252e", // double encoding
            "/rollout/api/v1/rollouts/x\ty", // control character
            "/rollout/api/v1/rollouts/x y",
            "/rollout/api/v1/rollouts?limit=1%00", // NUL in the query
            "/rollout/api/v1/rollouts?limit=1\r\nX-Injected: 1", // header injection
    })
    void givenAHostilePath_whenMapped_thenItIsRefusedWith400(String target) {
        assertThat(ProxyRoutes.map(target)).isInstanceOfSatisfying(Refuse.class,
                r -> assertThat(r.status()).isEqualTo(400));
    }

    @Test
    void givenAnOverLongTarget_whenMapped_thenItIsRefusedWith414() {
        String target = "/rollout/api/v1/rollouts/" + "a".repeat(ProxyRoutes.MAX_TARGET_LENGTH);
        assertThat(ProxyRoutes.map(target)).isEqualTo(new Refuse(414,
                "the request target is longer than " + ProxyRoutes.MAX_TARGET_LENGTH + " characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/release/q/health", // a service's health and metrics are never proxied
            "/release/internal/v1/artifacts/a", // nor release-service's signed download endpoint
            "/release/api/v1/releasesX", // a prefix is a whole segment
            "/rollout/api/v1/releases", // an API under another service's prefix
            "/api/v1/rollouts", // no unprefixed API
            "/telemetry/api/v1/",
            "/telemetry/api/v1/devicesX/d1/health", // a prefix is a whole segment
    })
    void givenAPathNoServiceOwnsUnderThatPrefix_whenMapped_thenItIs404(String target) {
        assertThat(ProxyRoutes.map(target)).isInstanceOfSatisfying(Refuse.class,
                r -> assertThat(r.status()).isEqualTo(404));
    }

    @Test
    void givenPathsOutsideTheApiPrefixes_thenTheProxyLeavesThemToTheStaticPages() {
        assertThat(ProxyRoutes.isProxied("/")).isFalse();
        assertThat(ProxyRoutes.isProxied("/index.html")).isFalse();
        assertThat(ProxyRoutes.isProxied("/js/app.js")).isFalse();
        assertThat(ProxyRoutes.isProxied("/q/health/ready")).isFalse();
        assertThat(ProxyRoutes.isProxied("/releases")).isFalse();
        assertThat(ProxyRoutes.isProxied("/release")).isTrue();
        assertThat(ProxyRoutes.isProxied("/rollout/anything")).isTrue();
        assertThat(ProxyRoutes.isProxied("/api/v1/rollouts")).isTrue();
    }
}
