package io.updraft.gateway.api;

import static io.updraft.gateway.api.DdiMediaTypes.HAL_JSON;
import static io.updraft.gateway.api.DdiMediaTypes.JSON;

import io.updraft.gateway.service.ActionExpiry;
import io.updraft.gateway.domain.Feedback;
import io.updraft.gateway.service.FeedbackIntake;
import io.updraft.gateway.config.GatewayConfig;
import io.updraft.gateway.api.ddi.DdiActionFeedback;
import io.updraft.gateway.api.ddi.DdiCancel;
import io.updraft.gateway.api.ddi.DdiConfigData;
import io.updraft.gateway.api.ddi.DdiDeploymentBase;
import io.updraft.gateway.api.ddi.DdiHealth;
import io.updraft.gateway.api.ddi.DdiInstalledBase;
import io.updraft.gateway.api.ddi.DdiPoll;
import io.updraft.gateway.domain.AttributeUpdate;
import io.updraft.gateway.service.DeviceRegistry;
import io.updraft.gateway.domain.ReportedAttributes;
import io.updraft.gateway.api.mapping.DdiLinks;
import io.updraft.gateway.api.mapping.DeploymentMapper;
import io.updraft.gateway.domain.DeltaSelection;
import io.updraft.gateway.api.mapping.FeedbackDetails;
import io.updraft.gateway.api.mapping.PollMapper;
import io.updraft.gateway.service.DeviceViewCache;
import io.updraft.gateway.service.FirstContact;
import io.updraft.gateway.service.Heartbeats;
import io.updraft.gateway.domain.PollView;
import io.updraft.gateway.domain.DeviceAction;
import io.updraft.gateway.domain.DeviceKeys;
import io.updraft.support.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * hawkBit DDI v1 root controller: poll, deployment, feedback, cancel, configData, health. Every method first requires
 * the request's {@link DevicePrincipal} for its tenant and device (set by {@link DdiAuthFilter}).
 */
@Path("/{tenant}/controller/v1/{controllerId}")
@Produces({ JSON, HAL_JSON })
@DeviceAuthenticated
public class DdiRootResource {
    @Inject
    GatewayConfig config;
    @Inject
    DeviceViewCache views;
    @Inject
    DeviceRegistry registry;
    @Inject
    Heartbeats heartbeats;
    @Inject
    FeedbackIntake feedbacks;
    @Inject
    ActionExpiry expiry;
    @Inject
    FirstContact firstContact;
    @Inject
    MeterRegistry metrics;
    @Context
    UriInfo uri;

    private PollMapper.Sleeps sleeps;
    /** The poll route has no per-request HTTP timer (application.properties): polls are counted here. */
    private Counter polls;

    @PostConstruct
    void init() {
        polls = Counter.builder("updraft.gateway.polls")
                .description("DDI polls that passed authentication (the poll route has no http_server_requests timer)")
                .register(metrics);
        sleeps = new PollMapper.Sleeps(config.polling().interval(), config.polling().activeInterval(),
                config.polling().jitter());
    }

    /**
     * A "nothing new" poll is answered from memory on the I/O thread: no database access, no hand-over to a worker.
     * First contact and views not in memory are coalesced by {@link FirstContact} (one transaction per batch; 503 +
     * Retry-After if that takes longer than {@code first-contact.max-wait}); a first contact its tenant's device quota
     * kept out is 409; an offered action past its expiresAt is applied on a worker.
     */
    @GET
    public Uni<DdiPoll> poll(@PathParam("tenant") String tenant, @PathParam("controllerId") String controllerId) {
        DevicePrincipal principal = DevicePrincipal.require(tenant, controllerId);
        String tenantId = principal.tenant();
        String key = principal.deviceKey();
        polls.increment();
        PollView cached = views.peek(key);
        if (cached != null && cached.registered()
                && (cached.offer() == null || !cached.offer().expiredAt(Instant.now()))) {
            heartbeats.seen(key);
            // on this thread, so the request's base URI can be read lazily: a nothing-new poll builds no URL
            return Uni.createFrom().item(PollMapper.toPoll(controllerId, cached, () -> links(tenant, controllerId),
                    sleeps));
        }
        DdiLinks resolved = links(tenant, controllerId); // read here: the answer is built on another thread
        if (cached != null && cached.registered()) { // only its offer expired
            return Uni.createFrom().item(() -> pollFromStore(tenantId, controllerId, () -> resolved))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        // first contact (or a view not in memory): coalesced with other such polls into one transaction per batch
        return Uni.createFrom().completionStage(() -> firstContact.register(tenantId, controllerId))
                .ifNoItem().after(config.firstContact().maxWait()).fail()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().transform(e -> {
                    firstContact.refused();
                    return FirstContactBusy.exception(config, controllerId);
                })
                .onItem().transformToUni(view -> {
                    if (view.refused()) { // its tenant is at its device quota: not stored, so not a 200
                        return Uni.createFrom().failure(registry.overQuota(tenantId, controllerId));
                    }
                    if (view.offer() != null && view.offer().expiredAt(Instant.now())) {
                        return Uni.createFrom().item(() -> pollFromStore(tenantId, controllerId, () -> resolved));
                    }
                    heartbeats.seen(key);
                    return Uni.createFrom().item(PollMapper.toPoll(controllerId, view, () -> resolved, sleeps));
                });
    }

    /**
     * The poll when memory is not enough: registers a new device, and expires an offered action past its expiresAt,
     * so a device back after days is told nothing about it.
     */
    private DdiPoll pollFromStore(String tenant, String controllerId, Supplier<DdiLinks> links) {
        String key = DeviceKeys.of(tenant, controllerId);
        PollView view = views.get(key);
        if (!view.registered()) {
            registry.register(tenant, controllerId);
            view = views.get(key);
        }
        Instant now = Instant.now();
        // Bounded: expiring the current action may promote a queued one that is due as well.
        for (int i = 0; i < 3 && view.offer() != null && view.offer().expiredAt(now); i++) {
            expiry.expireIfDue(tenant, controllerId, view.offer().actionId(), now);
            view = views.get(key);
        }
        heartbeats.seen(key);
        return PollMapper.toPoll(controllerId, view, links, sleeps);
    }

    @GET
    @Path("/deploymentBase/{actionId}")
    public DdiDeploymentBase deploymentBase(@PathParam("tenant") String tenant,
            @PathParam("controllerId") String controllerId, @PathParam("actionId") long actionId) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        DeviceAction action = feedbacks.retrieve(tenantId, controllerId, actionId)
                .orElseThrow(() -> FeedbackIntake.notFound(actionId));
        return DeploymentMapper.toDeploymentBase(action.install(), links(tenant, controllerId), Instant.now(),
                deltaDevice(tenantId, controllerId));
    }

    /** hawkBit's installedBase: an action this device finished, in the deploymentBase shape. */
    @GET
    @Path("/installedBase/{actionId}")
    public DdiDeploymentBase installedBase(@PathParam("tenant") String tenant,
            @PathParam("controllerId") String controllerId, @PathParam("actionId") long actionId) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        DeviceAction action = feedbacks.installed(tenantId, controllerId, actionId);
        return DeploymentMapper.toInstalledBase(action.install(), links(tenant, controllerId), Instant.now(),
                deltaDevice(tenantId, controllerId));
    }

    /** Whether the device reported {@code update.delta = zchunk}: which files it is offered (DeltaSelection). */
    private boolean deltaDevice(String tenant, String controllerId) {
        return registry.find(tenant, controllerId).map(DeviceRegistry::attributesOf).map(DeltaSelection::canUseDelta)
                .orElse(false);
    }

    /** Updraft's extension: a version installed out of band → InstalledVersionReported. */
    @PUT
    @Path("/installedBase")
    @Consumes({ JSON, HAL_JSON })
    public Response reportInstalled(@PathParam("tenant") String tenant, @PathParam("controllerId") String controllerId,
            @NotNull @Valid DdiInstalledBase body) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        if (!views.get(DeviceKeys.of(tenantId, controllerId)).registered()) {
            registry.register(tenantId, controllerId);
        }
        registry.reportInstalled(tenantId, controllerId, body.releaseId(), body.version().trim());
        return Response.ok().build();
    }

    @POST
    @Path("/deploymentBase/{actionId}/feedback")
    @Consumes({ JSON, HAL_JSON })
    public Response deploymentFeedback(@PathParam("tenant") String tenant,
            @PathParam("controllerId") String controllerId, @PathParam("actionId") long actionId,
            @NotNull DdiActionFeedback body) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        feedbacks.deploymentFeedback(tenantId, controllerId, actionId, parse(body));
        return Response.ok().build();
    }

    @GET
    @Path("/cancelAction/{actionId}")
    public DdiCancel cancelAction(@PathParam("tenant") String tenant, @PathParam("controllerId") String controllerId,
            @PathParam("actionId") long actionId) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        DeviceAction action = feedbacks.cancelToOffer(tenantId, controllerId, actionId);
        String id = Long.toString(action.actionId);
        return new DdiCancel(id, new DdiCancel.CancelAction(id));
    }

    @POST
    @Path("/cancelAction/{actionId}/feedback")
    @Consumes({ JSON, HAL_JSON })
    public Response cancelFeedback(@PathParam("tenant") String tenant, @PathParam("controllerId") String controllerId,
            @PathParam("actionId") long actionId, @NotNull DdiActionFeedback body) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        feedbacks.cancelFeedback(tenantId, controllerId, actionId, parse(body));
        return Response.ok().build();
    }

    @PUT
    @Path("/configData")
    @Consumes({ JSON, HAL_JSON })
    public Response configData(@PathParam("tenant") String tenant, @PathParam("controllerId") String controllerId,
            @NotNull DdiConfigData body) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        AttributeUpdate mode = AttributeUpdate.parse(body.mode())
                .orElseThrow(() -> ProblemException.badRequest("mode must be merge, replace or remove"));
        Map<String, String> reported = ReportedAttributes.of(body.data());
        if (!views.get(DeviceKeys.of(tenantId, controllerId)).registered()) {
            registry.register(tenantId, controllerId);
        }
        registry.updateAttributes(tenantId, controllerId, mode, reported);
        return Response.ok().build();
    }

    @POST
    @Path("/health")
    @Consumes({ JSON, HAL_JSON })
    public Response health(@PathParam("tenant") String tenant, @PathParam("controllerId") String controllerId,
            @NotNull @Valid DdiHealth body) {
        String tenantId = DevicePrincipal.require(tenant, controllerId).tenant();
        registry.reportHealth(tenantId, controllerId, body.bootOk(), body.crashCount() == null ? 0 : body.crashCount(),
                body.appHealthy(), body.metrics());
        return Response.noContent().build();
    }

    private DdiLinks links(String tenant, String controllerId) {
        return DdiLinks.of(config.publicUrl().orElse(uri.getBaseUri().toString()), tenant, controllerId);
    }

    private static Feedback parse(DdiActionFeedback body) {
        if (body.status() == null) {
            throw ProblemException.badRequest("status is required");
        }
        Feedback.Execution execution = Feedback.Execution.parse(body.status().execution())
                .orElseThrow(() -> ProblemException.badRequest("status.execution must be one of closed, proceeding,"
                        + " canceled, scheduled, rejected, resumed, downloaded, download"));
        String finished = body.status().result() == null ? null : body.status().result().finished();
        Feedback.Result result = finished == null ? Feedback.Result.NONE
                : Feedback.Result.parse(finished).orElseThrow(
                        () -> ProblemException.badRequest("status.result.finished must be success, failure or none"));
        return new Feedback(execution, result, FeedbackDetails.cap(body.status().details()));
    }
}
