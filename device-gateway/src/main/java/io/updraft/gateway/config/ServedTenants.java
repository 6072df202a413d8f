package io.updraft.gateway.config;

import io.updraft.events.TenantIds;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.tenant.Tenants;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tenants whose devices this gateway serves, each with its gateway token. In multi mode
 * ({@code updraft.tenancy.mode=multi}) every {@code updraft.gateway.tenants.<TENANT>.gateway-token}: the DDI path's
 * {@code {tenant}} (any case) is that tenant. In single mode, as before tenants, the one {@code updraft.gateway.tenant}
 * with {@code updraft.gateway.gateway-token} — and its devices are {@link TenantIds#DEFAULT}'s whatever the path calls
 * them, so a single-tenant installation keeps its rows (the migration made them DEFAULT's) and writes the records it
 * wrote before. Every other tenant is unknown here (404, as hawkBit answers an unknown tenant).
 */
@ApplicationScoped
public class ServedTenants {
    @Inject
    GatewayConfig config;
    @Inject
    Tenants tenants;

    /** By the path's tenant (canonical): whose devices they are. */
    private Map<String, String> byPath;
    /** By tenant: its gateway token, if it has one. */
    private Map<String, Optional<String>> gatewayTokens;
    /** By tenant: the path's tenant segment its links use (as configured). */
    private Map<String, String> pathNames;

    @PostConstruct
    void read() {
        if (tenants.isMulti()) {
            Map<String, Optional<String>> served = new HashMap<>();
            config.tenants().forEach((tenant, settings) -> served.put(tenant,
                    settings.gatewayToken().filter(token -> !token.isBlank())));
            multi(served);
        } else {
            single(config.tenant(), config.gatewayToken());
        }
    }

    /** Single mode: the path's {@code tenant} is DEFAULT's devices, with this gateway token. */
    void single(String tenant, Optional<String> gatewayToken) {
        byPath = Map.of(TenantIds.canonical(tenant), TenantIds.DEFAULT);
        gatewayTokens = Map.of(TenantIds.DEFAULT, gatewayToken);
        pathNames = Map.of(TenantIds.DEFAULT, tenant);
    }

    /** Multi mode: each tenant (any case) with its gateway token. */
    void multi(Map<String, Optional<String>> served) {
        Map<String, String> paths = new HashMap<>();
        Map<String, Optional<String>> tokens = new HashMap<>();
        served.forEach((tenant, token) -> {
            String canonical = TenantIds.canonical(tenant);
            paths.put(canonical, canonical);
            tokens.put(canonical, token);
        });
        byPath = Map.copyOf(paths);
        gatewayTokens = Map.copyOf(tokens);
        pathNames = Map.copyOf(paths);
    }

    /** For tests of code that depends on it: a gateway serving {@code tenant} alone, in single mode. */
    public static ServedTenants singleTenant(String tenant) {
        ServedTenants served = new ServedTenants();
        served.single(tenant, Optional.empty());
        return served;
    }

    /** The tenant whose devices the path's {@code tenant} segment (any case) names, or null if not served here. */
    public String ofPath(String tenant) {
        return TenantIds.isValid(tenant) ? byPath.get(TenantIds.canonical(tenant)) : null;
    }

    /** The path segment that names {@code tenant} in the links this gateway mints (delta links). */
    public String pathName(String tenant) {
        return pathNames.get(tenant);
    }

    /** The gateway token of a served tenant; empty when it has none (gateway tokens refused). */
    public Optional<String> gatewayToken(String tenant) {
        return gatewayTokens.getOrDefault(tenant, Optional.empty());
    }

    /**
     * The management API's tenant: the caller's ({@link Tenants#current()}, from the verified token).
     *
     * @throws ProblemException 404 when this gateway does not serve it (as a device it does not know)
     */
    public String managed() {
        String tenant = tenants.current();
        if (!gatewayTokens.containsKey(tenant)) {
            throw ProblemException.notFound("this gateway serves no devices of tenant " + tenant);
        }
        return tenant;
    }
}
