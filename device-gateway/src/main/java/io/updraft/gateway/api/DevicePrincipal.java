package io.updraft.gateway.api;

import jakarta.ws.rs.WebApplicationException;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

/**
 * The device a DDI request was authenticated as, bound to the tenant and controllerId of the path that matched.
 * {@link DdiAuthFilter} sets it after a successful TargetToken or GatewayToken check; every DDI resource method asks
 * for it with {@link #require}, so an endpoint the filter did not guard still serves nobody.
 */
public record DevicePrincipal(String tenant, String controllerId, Kind kind) {
    /** How the device proved who it is. */
    public enum Kind {
        TARGET_TOKEN, GATEWAY_TOKEN, ANONYMOUS
    }

    private static final String PROPERTY = DevicePrincipal.class.getName();

    void bind(ResteasyReactiveRequestContext request) {
        request.setProperty(PROPERTY, this);
    }

    /**
     * The current request's principal if it was authenticated for exactly this tenant and device.
     *
     * @throws WebApplicationException 401 problem+json otherwise
     */
    static DevicePrincipal require(String tenant, String controllerId) {
        ResteasyReactiveRequestContext request = CurrentRequestManager.get();
        if (request != null && request.getProperty(PROPERTY) instanceof DevicePrincipal principal
                && principal.controllerId.equals(controllerId) && principal.tenant.equals(tenant)) {
            return principal;
        }
        throw new WebApplicationException(DdiAuthFilter.unauthorized());
    }
}
