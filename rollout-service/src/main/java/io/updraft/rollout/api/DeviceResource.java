package io.updraft.rollout.api;

import io.updraft.rollout.domain.InventoryDevice;
import io.updraft.rollout.domain.filter.Filter;
import io.updraft.rollout.domain.filter.FilterParser;
import io.updraft.rollout.domain.filter.FilterSyntaxException;
import io.updraft.rollout.service.DeviceQueries;
import io.updraft.support.problem.ProblemException;
import io.updraft.support.validation.Identifier;
import io.updraft.support.validation.Inputs;
import io.updraft.support.validation.SafeText;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The device inventory as the rollout-service sees it from device reports. */
@Path("/api/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ "viewer", "operator", "publisher" })
public class DeviceResource {
    private static final String CURSOR_VERSION = "d1:";
    private static final int MAX_CURSOR = 400;

    @Inject
    DeviceQueries devices;

    /**
     * The inventory by device id, one page at a time: {@code page}/{@code size} (with the total), or keyset paging
     * with {@code cursor}/{@code limit} that costs the same on the millionth page as on the first. Either way the
     * answer's {@code nextCursor} is the cursor of the next page while more remain.
     */
    @GET
    public DeviceView.Page list(@QueryParam("model") @SafeText(max = 200) String model,
            @QueryParam("revision") @SafeText(max = 200) String revision,
            @QueryParam("version") @SafeText(max = 100) String version,
            @QueryParam("filter") @SafeText(max = FilterParser.MAX_LENGTH, multiline = true) String filter,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") @Min(1) @Max(1000) Integer limit) {
        InventoryDevice.Filter wanted = new InventoryDevice.Filter(model, revision, version, expression(filter));
        if (cursor != null || limit != null) {
            if (page != 0) {
                throw ProblemException.badRequest("page does not go with cursor or limit: the cursor says where the"
                        + " next page starts");
            }
            int pageSize = limit == null ? size : limit;
            InventoryDevice.Slice found = devices.after(wanted, cursor == null ? null : afterDevice(cursor),
                    pageSize);
            return new DeviceView.Page(found.items().stream().map(RolloutViews::of).toList(), 0, pageSize, null,
                    found.more() ? cursorAfter(found.items()) : null);
        }
        InventoryDevice.Page found = devices.page(wanted, page, size);
        boolean more = (long) page * size + found.items().size() < found.total() && !found.items().isEmpty();
        return new DeviceView.Page(found.items().stream().map(RolloutViews::of).toList(), page, size, found.total(),
                more ? cursorAfter(found.items()) : null);
    }

    /** Opaque to clients: the last device id of a page, base64url, versioned so the format may change. */
    private static String cursorAfter(List<InventoryDevice> page) {
        String last = page.get(page.size() - 1).deviceId();
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_VERSION + last).getBytes(StandardCharsets.UTF_8));
    }

    /** The device id a cursor stands for; anything this API did not hand out is a 400, never a query. */
    private static String afterDevice(String cursor) {
        String refused = "cursor is not one this API gave out (pass the nextCursor of a previous page as it is)";
        if (cursor.isEmpty() || cursor.length() > MAX_CURSOR || !cursor.chars().allMatch(DeviceResource::base64url)) {
            throw ProblemException.badRequest(refused);
        }
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw ProblemException.badRequest(refused);
        }
        String deviceId = decoded.startsWith(CURSOR_VERSION) ? decoded.substring(CURSOR_VERSION.length()) : "";
        if (!Inputs.isIdentifier(deviceId)) {
            throw ProblemException.badRequest(refused);
        }
        return deviceId;
    }

    private static boolean base64url(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    /** The rollouts' filter language; a filter that does not parse is a 400 naming the position. */
    private static Filter expression(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        if (filter.length() > FilterParser.MAX_LENGTH) {
            throw ProblemException.badRequest("filter must be at most " + FilterParser.MAX_LENGTH + " characters");
        }
        try {
            return FilterParser.parse(filter);
        } catch (FilterSyntaxException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    @GET
    @Path("{id}")
    public DeviceView get(@PathParam("id") @Identifier String id) {
        return devices.find(id).map(RolloutViews::of)
                .orElseThrow(() -> ProblemException.notFound("device " + id + " not found"));
    }
}
