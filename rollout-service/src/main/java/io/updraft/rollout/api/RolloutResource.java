package io.updraft.rollout.api;

import io.updraft.rollout.domain.Rollout;
import io.updraft.rollout.service.CohortRollback;
import io.updraft.rollout.service.NewRollout;
import io.updraft.rollout.service.RolloutControls;
import io.updraft.rollout.service.FanoutStages;
import io.updraft.rollout.service.RolloutCreation;
import io.updraft.rollout.service.RolloutProgress;
import io.updraft.rollout.service.RolloutQueries;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.validation.Identifier;
import io.updraft.support.validation.SafeText;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RolloutResource {

    @Inject
    RolloutCreation creation;
    @Inject
    FanoutStages stages;
    @Inject
    RolloutControls controls;
    @Inject
    CohortRollback cohortRollback;
    @Inject
    RolloutQueries queries;
    @Inject
    RolloutViews views;
    @Inject
    RolloutProgress progress;

    @POST
    @RolesAllowed("operator")
    public Response create(@NotNull @Valid CreateRolloutRequest request, @Context UriInfo uri) {
        long called = System.nanoTime();
        Rollout rollout = creation.create(request.toNewRollout());
        stages.planCommitted(called);
        return Response.created(uri.getAbsolutePathBuilder().path(rollout.id).build())
                .entity(views.of(queries.find(rollout.id).orElseThrow())).build();
    }

    /** The plan a create with this body would make now: same checks and 4xx, nothing stored, no event. */
    @POST
    @Path("preview")
    @RolesAllowed({ "operator", "viewer", "publisher" })
    public RolloutPreview preview(@NotNull @Valid CreateRolloutRequest request) {
        NewRollout asked = request.toNewRollout();
        return RolloutPreview.of(creation.preview(asked), creation.approvals(asked));
    }

    /**
     * Newest first, optionally of one name and/or one release; pages past any size: while more remain, the
     * {@code Next-Cursor} header is what to send as {@code cursor} (with the same filters) for the next page. The body
     * is the array it always was.
     */
    @GET
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public RestResponse<List<RolloutView>> list(@QueryParam("name") @SafeText(max = 200) String name,
            @QueryParam("releaseId") @Identifier(max = 64) String releaseId,
            @QueryParam("limit") @DefaultValue("100") @Min(1)
            @Max(1000) int limit,
            @QueryParam("cursor") @Size(max = 200) String cursor) {
        HistoryView.Cursor after = RolloutCursor.decode(cursor);
        List<Rollout> page = queries.newestFirst(name, releaseId, after.at(), after.key(), limit + 1);
        List<RolloutView> shown = page.stream().limit(limit).map(views::of).toList();
        if (page.size() <= limit) {
            return RestResponse.ok(shown);
        }
        Rollout last = page.get(limit - 1);
        return RestResponse.ResponseBuilder.ok(shown).header(NEXT_CURSOR, RolloutCursor.encode(last)).build();
    }

    /** The header that carries the cursor of the next page of {@code GET /api/v1/rollouts}. */
    public static final String NEXT_CURSOR = "Next-Cursor";

    /** Where a page of rollouts ended: the last one's creation time and id, opaque to clients. */
    static final class RolloutCursor {
        private static final Pattern ID = Pattern.compile("[A-Za-z0-9._~:@+-]{1,64}");

        static String encode(Rollout last) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.createdAt + "|" + last.id).getBytes(StandardCharsets.UTF_8));
        }

        /** The start for none; a 400 for anything this API did not hand out. */
        static HistoryView.Cursor decode(String cursor) {
            if (cursor == null || cursor.isEmpty()) {
                return HistoryView.Cursor.START;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor),
                        StandardCharsets.UTF_8).split("\\|", 2);
                if (parts.length == 2 && ID.matcher(parts[1]).matches()) {
                    return new HistoryView.Cursor(Instant.parse(parts[0]), parts[1]);
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // falls through to the 400
            }
            throw ProblemException.badRequest("cursor is not one this API handed out (pass the Next-Cursor of a"
                    + " previous page as it is)");
        }
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public RolloutView get(@PathParam("id") @Identifier(max = 64) String id) {
        return views.of(existing(id));
    }

    @GET
    @Path("{id}/actions")
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public List<ActionView> actions(@PathParam("id") @Identifier(max = 64) String id, @QueryParam("deviceId") @Identifier String deviceId) {
        existing(id);
        return queries.actions(id, deviceId == null || deviceId.isBlank() ? null : deviceId).stream()
                .map(RolloutViews::of).toList();
    }

    /**
     * Counts of the rollout's actions per cohort and per wave × cohort by state, installs over time since the rollout
     * started (at most 120 points), and the health gate's verdict on the current wave: aggregated in the database,
     * the same cost for a thousand devices as for a million.
     */
    @GET
    @Path("{id}/progress")
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public ProgressView progress(@PathParam("id") @Identifier(max = 64) String id) {
        Rollout rollout = existing(id);
        return ProgressView.of(rollout, progress.of(rollout));
    }

    @POST
    @Path("{id}/pause")
    @RolesAllowed("operator")
    public RolloutView pause(@PathParam("id") @Identifier(max = 64) String id, @Valid ControlRequest request) {
        return views.of(controls.pause(id, ControlRequest.reasonOf(request)));
    }

    @POST
    @Path("{id}/resume")
    @RolesAllowed("operator")
    public RolloutView resume(@PathParam("id") @Identifier(max = 64) String id, @Valid ControlRequest request) {
        return views.of(controls.resume(id, ControlRequest.reasonOf(request)));
    }

    /**
     * Every transition of the rollout, oldest first, with its time, actor (the operator's token subject, or
     * {@code system}) and reason; {@code nextCursor} pages on.
     */
    @GET
    @Path("{id}/history")
    @RolesAllowed({ "viewer", "operator", "publisher" })
    public HistoryView history(@PathParam("id") @Identifier(max = 64) String id,
            @QueryParam("cursor") @Size(max = 200) String cursor,
            @QueryParam("limit") @DefaultValue("200") @Min(1)
            @Max(HistoryView.MAX_LIMIT) int limit) {
        HistoryView.Cursor after = HistoryView.Cursor.decode(cursor);
        existing(id);
        return HistoryView.of(queries.history(id, after.at(), after.key(), limit + 1), limit);
    }

    @POST
    @Path("{id}/abort")
    @RolesAllowed("operator")
    public RolloutView abort(@PathParam("id") @Identifier(max = 64) String id, @Valid ControlRequest request) {
        return views.of(controls.abort(id, ControlRequest.reasonOf(request)));
    }

    /** Starts the wave a WAITING_FOR_APPROVAL rollout waits for; 409 in any other state. The body may be {}. */
    @POST
    @Path("{id}/approve")
    @RolesAllowed("operator")
    public RolloutView approve(@PathParam("id") @Identifier(max = 64) String id, @Valid ControlRequest request,
            @Context SecurityContext security) {
        String approvedBy = security.getUserPrincipal() == null ? "operator" : security.getUserPrincipal().getName();
        return views.of(controls.approve(id, approvedBy));
    }

    /** Idempotent: rolling back a cohort that is already rolled back answers 200 and changes nothing. */
    @POST
    @Path("{id}/cohorts/{cohort}/rollback")
    @RolesAllowed("operator")
    public RolloutView rollBack(@PathParam("id") @Identifier(max = 64) String id, @PathParam("cohort") @SafeText(max = 401) String cohort,
            @Valid ControlRequest request) {
        String reason = ControlRequest.reasonOf(request);
        switch (cohortRollback.rollBack(id, cohort, reason == null ? "rolled back by operator" : reason)) {
            case UNKNOWN_ROLLOUT -> throw ProblemException.notFound("rollout " + id + " not found");
            case UNKNOWN_COHORT -> throw ProblemException.notFound("rollout " + id + " has no cohort " + cohort);
            default -> {
            }
        }
        return views.of(existing(id));
    }

    private Rollout existing(String id) {
        return queries.find(id)
                .orElseThrow(() -> ProblemException.notFound("rollout " + id + " not found"));
    }
}
