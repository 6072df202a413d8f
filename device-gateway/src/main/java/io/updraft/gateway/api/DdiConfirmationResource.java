package io.updraft.gateway.api;

import static io.updraft.gateway.api.DdiMediaTypes.HAL_JSON;
import static io.updraft.gateway.api.DdiMediaTypes.JSON;

import io.updraft.gateway.api.ddi.DdiActivateAutoConfirmation;
import io.updraft.gateway.api.ddi.DdiConfirmationBase;
import io.updraft.gateway.api.ddi.DdiConfirmationBaseAction;
import io.updraft.gateway.api.ddi.DdiConfirmationFeedback;
import io.updraft.gateway.api.ddi.DdiDeploymentBase;
import io.updraft.gateway.api.ddi.DdiLink;
import io.updraft.gateway.api.mapping.DdiLinks;
import io.updraft.gateway.api.mapping.DeploymentMapper;
import io.updraft.gateway.api.mapping.FeedbackDetails;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.gateway.domain.DeltaSelection;
import io.updraft.gateway.domain.Device;
import io.updraft.gateway.domain.DeviceAction;
import io.updraft.gateway.service.Confirmations;
import io.updraft.gateway.service.DeviceRegistry;
import io.updraft.support.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * hawkBit DDI's confirmation flow: {@code confirmationBase} (auto-confirm state), {@code confirmationBase/{actionId}}
 * (the deployment to confirm), its feedback (confirmed / denied) and auto-confirm on/off. Every method first requires
 * the request's {@link DevicePrincipal} for its tenant and device (set by {@link DdiAuthFilter}).
 */
@Path("/{tenant}/controller/v1/{controllerId}/confirmationBase")
@Produces({ JSON, HAL_JSON })
@DeviceAuthenticated
public class DdiConfirmationResource {
    static final String WAITING_STATUS = "WAIT_FOR_CONFIRMATION";
    static final String WAITING_MESSAGE =
            "Waiting for the confirmation by the device before processing with the deployment";

    @Inject
    GatewayConfig config;
    @Inject
    Confirmations confirmations;
    @Inject
    DeviceRegistry registry;
    @Context
    UriInfo uri;

    @GET
    public DdiConfirmationBase state(@PathParam("tenant") String tenant,
            @PathParam("controllerId") String controllerId) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        Confirmations.State state = confirmations.state(tenantId, controllerId);
        Device device = state.device();
        DdiLinks links = links(tenant, controllerId);
        Map<String, DdiLink> hrefs = new LinkedHashMap<>();
        if (device.autoConfirm) {
            hrefs.put("deactivateAutoConfirm", new DdiLink(links.confirmationBase() + "/deactivateAutoConfirm"));
        } else {
            hrefs.put("activateAutoConfirm", new DdiLink(links.confirmationBase() + "/activateAutoConfirm"));
        }
        state.waiting().ifPresent(action -> hrefs.put("confirmationBase",
                new DdiLink(links.confirmationBase(action.actionId, action.linkHash()))));
        DdiConfirmationBase.AutoConfirm autoConfirm = device.autoConfirm
                ? new DdiConfirmationBase.AutoConfirm(true, device.autoConfirmInitiator, device.autoConfirmRemark,
                        device.autoConfirmAt == null ? null : device.autoConfirmAt.toEpochMilli())
                : new DdiConfirmationBase.AutoConfirm(false, null, null, null);
        return new DdiConfirmationBase(autoConfirm, hrefs);
    }

    @GET
    @Path("/{actionId}")
    public DdiConfirmationBaseAction action(@PathParam("tenant") String tenant,
            @PathParam("controllerId") String controllerId, @PathParam("actionId") long actionId) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        DeviceAction action = confirmations.toConfirm(tenantId, controllerId, actionId);
        boolean deltaDevice = registry.find(tenantId, controllerId).map(DeviceRegistry::attributesOf)
                .map(DeltaSelection::canUseDelta).orElse(false);
        DdiDeploymentBase deployment = DeploymentMapper.toDeploymentBase(action.install(),
                links(tenant, controllerId), Instant.now(), deltaDevice);
        return new DdiConfirmationBaseAction(deployment.id(), deployment.deployment(),
                new DdiDeploymentBase.ActionHistory(WAITING_STATUS, List.of(WAITING_MESSAGE)));
    }

    @POST
    @Path("/{actionId}/feedback")
    @Consumes({ JSON, HAL_JSON })
    public Response feedback(@PathParam("tenant") String tenant, @PathParam("controllerId") String controllerId,
            @PathParam("actionId") long actionId, @NotNull DdiConfirmationFeedback body) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        if (body.confirmation() == null) {
            throw ProblemException.badRequest("confirmation is required: confirmed or denied");
        }
        switch (body.confirmation()) {
            case "confirmed" -> confirmations.confirm(tenantId, controllerId, actionId);
            case "denied" -> confirmations.deny(tenantId, controllerId, actionId, body.code(),
                    FeedbackDetails.cap(body.details()));
            default -> throw ProblemException.badRequest("confirmation must be confirmed or denied");
        }
        return Response.ok().build();
    }

    /** With a JSON body: {@code {}} or {@code {"initiator":…,"remark":…}}, both optional as in hawkBit. */
    @POST
    @Path("/activateAutoConfirm")
    @Consumes({ JSON, HAL_JSON })
    public Response activateAutoConfirm(@PathParam("tenant") String tenant,
            @PathParam("controllerId") String controllerId, @Valid DdiActivateAutoConfirmation body) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        confirmations.activateAutoConfirm(tenantId, controllerId, body == null ? null : body.initiator(),
                body == null ? null : body.remark());
        return Response.ok().build();
    }

    /** Without a body (hawkBit's is optional): no initiator, no remark. */
    @POST
    @Path("/activateAutoConfirm")
    public Response activateAutoConfirmWithoutBody(@PathParam("tenant") String tenant,
            @PathParam("controllerId") String controllerId) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        confirmations.activateAutoConfirm(tenantId, controllerId, null, null);
        return Response.ok().build();
    }

    @POST
    @Path("/deactivateAutoConfirm")
    public Response deactivateAutoConfirm(@PathParam("tenant") String tenant,
            @PathParam("controllerId") String controllerId) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        confirmations.deactivateAutoConfirm(tenantId, controllerId);
        return Response.ok().build();
    }

    private DdiLinks links(String tenant, String controllerId) {
        return DdiLinks.of(config.publicUrl().orElse(uri.getBaseUri().toString()), tenant, controllerId);
    }
}
