package io.updraft.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.updraft.gateway.domain.Device;
import io.updraft.gateway.service.OperatorAutoConfirm;
import io.updraft.support.validation.Identifier;
import io.updraft.support.validation.SafeText;
import io.updraft.support.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import io.updraft.gateway.config.ServedTenants;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;

/**
 * A device's auto-confirm from the management API (hawkBit's {@code /rest/v1/targets/{id}/autoConfirm}): viewers read
 * it, operators switch it; the device's own {@code confirmationBase/activateAutoConfirm} is the same switch. Unknown
 * device 404 — never created here; a controllerId that is no identifier 400 before anything is read.
 */
@Path("/api/v1/devices/{controllerId}/auto-confirm")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeviceAutoConfirmResource {
    @Inject
    ServedTenants served;
    @Inject
    OperatorAutoConfirm autoConfirm;

    /** {@code initiator}, {@code remark} and {@code activatedAt} only while active. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AutoConfirmView(boolean active, String initiator, String remark, Instant activatedAt) {
        static AutoConfirmView of(Device device) {
            if (!device.autoConfirm) {
                return new AutoConfirmView(false, null, null, null);
            }
            return new AutoConfirmView(true, device.autoConfirmInitiator, device.autoConfirmRemark,
                    device.autoConfirmAt);
        }
    }

    /** Both optional, bounded as the device's own activation body (one line, 200 / 1,000 characters). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ActivateRequest(@SafeText(max = 200) String initiator, @SafeText(max = 1000) String remark) {
    }

    @GET
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public AutoConfirmView state(@PathParam("controllerId") @Identifier String controllerId) {
        return AutoConfirmView.of(autoConfirm.state(served.managed(), controllerId));
    }

    /**
     * On (replacing initiator and remark if it was on), and every action of the device waiting for its confirmation
     * is confirmed: offered under deploymentBase from its next poll. The initiator defaults to the operator.
     */
    @POST
    @Path("/activate")
    @RolesAllowed("operator")
    public AutoConfirmView activate(@PathParam("controllerId") @Identifier String controllerId,
            @Valid ActivateRequest request, @Context SecurityContext security) {
        String actor = actor(security);
        String initiator = request == null || blank(request.initiator())
                ? actor.substring(0, Math.min(actor.length(), 200)) // the column's bound, whatever the token says
                : request.initiator().strip();
        String remark = request == null || blank(request.remark()) ? null : request.remark().strip();
        return AutoConfirmView.of(autoConfirm.activate(served.managed(), controllerId, initiator, remark, actor));
    }

    /**
     * The same without a body: the operator is the initiator, no remark. A body that is not JSON is refused (415)
     * before anything changes, not ignored.
     */
    @POST
    @Path("/activate")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("operator")
    public AutoConfirmView activateWithoutBody(@PathParam("controllerId") @Identifier String controllerId,
            String body, @Context SecurityContext security) {
        if (body != null && !body.isEmpty()) {
            throw new ProblemException(415, "Unsupported Media Type",
                    "activate takes no body or an application/json one: {\"initiator\"?, \"remark\"?}");
        }
        return activate(controllerId, null, security);
    }

    /**
     * Off: actions that require confirmation ask the device again from now on. It takes no body, or an empty JSON
     * object (what the console sends); any other body is refused before anything changes: 415 if it is not JSON, else
     * 400.
     */
    @POST
    @Path("/deactivate")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("operator")
    public AutoConfirmView deactivate(@PathParam("controllerId") @Identifier String controllerId, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @Context SecurityContext security) {
        if (body != null && !body.isBlank()) {
            boolean json = contentType != null
                    && MediaType.APPLICATION_JSON_TYPE.isCompatible(MediaType.valueOf(contentType));
            if (!json) {
                throw new ProblemException(415, "Unsupported Media Type",
                        "deactivate takes no body, or {} as application/json");
            }
            if (!body.strip().replaceAll("\\s", "").equals("{}")) {
                throw ProblemException.badRequest("deactivate takes no body, or {}");
            }
        }
        return AutoConfirmView.of(autoConfirm.deactivate(served.managed(), controllerId, actor(security)));
    }

    private static String actor(SecurityContext security) {
        return security.getUserPrincipal() == null ? "operator" : security.getUserPrincipal().getName();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
