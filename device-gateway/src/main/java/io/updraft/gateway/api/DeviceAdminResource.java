package io.updraft.gateway.api;

import io.updraft.gateway.domain.DeviceAction;
import io.updraft.gateway.service.DeviceRegistry;
import io.updraft.gateway.service.OperatorCancel;
import io.updraft.gateway.domain.TargetTokens;
import io.updraft.gateway.domain.Device;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.validation.Identifier;
import io.updraft.support.validation.SafeText;
import jakarta.annotation.security.RolesAllowed;
import io.updraft.gateway.config.ServedTenants;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Management API of the gateway: device credentials, and what the gateway holds for a device. A controllerId that
 * is no identifier is a 400 before anything is read or written. Scoped to the caller's tenant (the verified token's,
 * {@link ServedTenants#managed}): another tenant's device with the same controllerId is not there for it (404).
 */
@Path("/api/v1/devices/{controllerId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeviceAdminResource {
    @Inject
    DeviceRegistry registry;
    @Inject
    OperatorCancel operatorCancel;
    @Inject
    ServedTenants served;

    public record TokenRequest(@NotBlank @Size(min = 8, max = 256) String token) {
    }

    /** @param cancelRequestedBy / cancelReason who asked for an operator's cancel of it here, and why; else null */
    public record ActionSummary(long actionId, String status, String rolloutId, String releaseId, String version,
            Instant updatedAt, String cancelRequestedBy, String cancelReason) {
    }

    /** The operator's optional reason for a cancel: bounded, no control characters but line breaks (as rollouts'). */
    public record CancelRequest(@SafeText(max = 1000, multiline = true) String reason) {
    }

    public record DeviceSummary(String controllerId, boolean registered, Map<String, String> attributes,
            List<ActionSummary> actions) {
    }

    /**
     * Cancels one of the device's open actions, as hawkBit's {@code DELETE /rest/v1/targets/{id}/actions/{actionId}}
     * does: never fetched → CANCELED at once (ActionCanceled); fetched → CANCELING, the device's next poll offers
     * {@code cancelAction} and its feedback ends it. 404 unknown device or action, 409 action already over.
     */
    @POST
    @Path("/actions/{actionId}/cancel")
    @Consumes(MediaType.APPLICATION_JSON) // {} or {"reason": "..."}
    @RolesAllowed("operator")
    public ActionSummary cancel(@PathParam("controllerId") @Identifier String controllerId,
            @PathParam("actionId") long actionId, @Valid CancelRequest request, @Context SecurityContext security) {
        String actor = security.getUserPrincipal() == null ? "operator" : security.getUserPrincipal().getName();
        String reason = request == null || request.reason() == null || request.reason().isBlank() ? null
                : request.reason().strip();
        return summary(operatorCancel.cancel(served.managed(), controllerId, actionId, actor, reason));
    }

    /** The same cancel without a body (or with one that is not JSON, which is ignored): no reason. */
    @POST
    @Path("/actions/{actionId}/cancel")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("operator")
    public ActionSummary cancelWithoutReason(@PathParam("controllerId") @Identifier String controllerId,
            @PathParam("actionId") long actionId, @Context SecurityContext security) {
        return cancel(controllerId, actionId, null, security);
    }

    private static ActionSummary summary(DeviceAction a) {
        var command = a.install();
        return new ActionSummary(a.actionId, a.status.name(), command.rolloutId(), command.releaseId(),
                command.version(), a.updatedAt, a.cancelRequestedBy, a.cancelReason);
    }

    /** Provisions (or rotates) the device's TargetToken; only its SHA-256 is stored. */
    @PUT
    @Path("/token")
    @RolesAllowed("operator")
    public Response provisionToken(@PathParam("controllerId") @Identifier String controllerId,
            @NotNull @Valid TokenRequest request) {
        registry.provisionToken(served.managed(), controllerId, TargetTokens.sha256(request.token()));
        return Response.noContent().build();
    }

    @GET
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public DeviceSummary device(@PathParam("controllerId") @Identifier String controllerId) {
        String tenant = served.managed();
        Device device = registry.find(tenant, controllerId)
                .orElseThrow(() -> ProblemException.notFound("no device " + controllerId));
        List<ActionSummary> history = registry.actionsOf(tenant, controllerId).stream()
                .map(DeviceAdminResource::summary)
                .toList();
        return new DeviceSummary(controllerId, device.registeredAt != null, DeviceRegistry.attributesOf(device),
                history);
    }
}
