package io.updraft.gateway.api;

import io.updraft.gateway.domain.DeviceKeys;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

/**
 * The device a DDI request was authenticated as, bound to the tenant (canonical: upper-case) and controllerId of the
 * path that matched.
 * {@link DdiAuthFilter} sets it after a successful TargetToken or GatewayToken check; every DDI resource method asks
 * for it with {@link #require}, so an endpoint the filter did not guard still serves nobody.
 */
public record DevicePrincipal(String tenant, String controllerId, Kind kind) {
    /** The device across tenants ({@link DeviceKeys}): what the poll view cache and the heartbeats key it by. */
    public String deviceKey() {
        return DeviceKeys.of(tenant, controllerId);
    }

    /** How the device proved who it is. */
    public enum Kind {
        TARGET_TOKEN, GATEWAY_TOKEN, ANONYMOUS
    }

    private static final String PROPERTY = DevicePrincipal.class.getName();

    void bind(ResteasyReactiveRequestContext request) {
        request.setProperty(PROPERTY, this);
    }

    /**
     * The current request's principal if it was authenticated for exactly this device of this tenant (the path's
     * tenant, in any case; the principal's {@link #tenant} is its canonical form, which the caller then uses).
     *
     * @throws WebApplicationException 401 problem+json otherwise
     */
    static DevicePrincipal require(String tenant, String controllerId) {
        ResteasyReactiveRequestContext request = CurrentRequestManager.get();
        if (request != null && request.getProperty(PROPERTY) instanceof DevicePrincipal principal
                && principal.controllerId.equals(controllerId) && principal.tenant.equalsIgnoreCase(tenant)) {
            return principal;
        }
        throw new WebApplicationException(DdiAuthFilter.unauthorized());
    }
}
