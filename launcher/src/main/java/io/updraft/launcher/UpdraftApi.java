package io.updraft.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.launcher.cli.CliTiming;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The management REST APIs of the four services, as an operator or a CI job calls them (bearer token). */
public final class UpdraftApi {
    /**
     * Only for writing typed bodies: reading goes through {@link JsonTrees}, so a CLI call that only reads never builds
     * an ObjectMapper (~40-60 ms of its configuration at every call).
     */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    // made when first needed: building a JDK HttpClient costs a CLI call ~200 ms (its SSL context), and its selector
    // thread, parked in native code, holds System.exit back another 300 ms (HotSpot waits that long for such threads)
    private HttpClient http;
    private final String releaseUrl;
    private final String rolloutUrl;
    private final String telemetryUrl;
    private final String token;
    private final boolean oneShot;

    public UpdraftApi(String releaseUrl, String rolloutUrl, String telemetryUrl, String token) {
        this(releaseUrl, rolloutUrl, telemetryUrl, token, false);
    }

    private UpdraftApi(String releaseUrl, String rolloutUrl, String telemetryUrl, String token, boolean oneShot) {
        this.releaseUrl = releaseUrl;
        this.rolloutUrl = rolloutUrl;
        this.telemetryUrl = telemetryUrl;
        this.token = token;
        this.oneShot = oneShot;
    }

    /**
     * The same API for a short-lived process (the CLI): every call whose body is in memory goes over
     * {@link HttpURLConnection} on the calling thread ({@link OneShotHttp}); only a streamed release upload uses the
     * JDK HttpClient, built then. Same requests, statuses, bodies and errors; a call starts and exits ~0.5 s sooner.
     */
    public static UpdraftApi oneShot(String releaseUrl, String rolloutUrl, String telemetryUrl, String token) {
        return new UpdraftApi(releaseUrl, rolloutUrl, telemetryUrl, token, true);
    }

    /** Whether this instance sends its in-memory calls over {@link HttpURLConnection} ({@link #oneShot}). */
    public boolean isOneShot() {
        return oneShot;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            // HTTP/1.1: with the JDK's default (HTTP/2 via an h2c upgrade) the server must buffer an upgrading
            // request's whole body — a multi-gigabyte upload would sit in its heap
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                    .build();
        }
        return http;
    }

    public static UpdraftApi of(LocalStack stack) {
        return of(RunningStack.of(stack));
    }

    public static UpdraftApi of(RunningStack stack) {
        return new UpdraftApi(stack.url("release-service"), stack.url("rollout-service"),
                stack.url("telemetry-service"), stack.adminToken());
    }

    /** A hardware model and revision a release is compatible with. */
    public record Hardware(String model, String revision) {
    }

    /** One artifact of a release to publish. */
    public record Artifact(String filename, byte[] content) {
    }

    /** {@code POST /api/v1/releases} as multipart: metadata JSON plus the artifact files. */
    public JsonNode publishRelease(String name, String version, List<Hardware> hardware, List<Artifact> artifacts) {
        ObjectNode metadata = JsonTrees.object().put("name", name).put("version", version);
        var hw = metadata.putArray("hardware");
        hardware.forEach(h -> hw.addObject().put("model", h.model()).put("revision", h.revision()));
        String boundary = "updraft-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "Content-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json",
                metadata.toString().getBytes(StandardCharsets.UTF_8));
        for (Artifact artifact : artifacts) {
            part(body, boundary, "Content-Disposition: form-data; name=\"file\"; filename=\"" + artifact.filename()
                    + "\"\r\nContent-Type: application/octet-stream", artifact.content());
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = authorized(releaseUrl + "/api/v1/releases")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return expect(request, 200, 201);
    }

    /** What to publish from files on disk (CI): streamed, never read into memory. */
    public record ReleaseUpload(ObjectNode metadata, String part, List<Path> files, List<String> sha256,
            List<Path> signatures, boolean draft) {
    }

    /** The release answered, and whether this call created it (201) or found it identical (200). */
    public record Publication(JsonNode release, boolean created) {
    }

    /** {@code POST /api/v1/releases} as a streamed multipart body: files go from disk to the socket. */
    public Publication publishRelease(ReleaseUpload upload) {
        return publishRelease(upload, Map.of());
    }

    /**
     * As {@link #publishRelease(ReleaseUpload)}, with more text fields of the publish form, e.g. {@code delta=zchunk}
     * (release-service then stores each plain file's .zck beside it).
     */
    public Publication publishRelease(ReleaseUpload upload, Map<String, String> fields) {
        return publishRelease(upload, fields, List.of());
    }

    /**
     * As {@link #publishRelease(ReleaseUpload, Map)}, with one {@code role} text part per file, in the files' order
     * ({@code full} or {@code delta}; none: release-service's default, {@code full}).
     */
    public Publication publishRelease(ReleaseUpload upload, Map<String, String> fields, List<String> roles) {
        String boundary = "updraft-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        parts.add(text(boundary, "metadata", upload.metadata().toString()));
        fields.forEach((name, value) -> parts.add(text(boundary, name, value)));
        roles.forEach(role -> parts.add(text(boundary, "role", role)));
        if (upload.part() != null) {
            parts.add(text(boundary, "part", upload.part()));
        }
        if (upload.draft()) {
            parts.add(text(boundary, "draft", "true"));
        }
        upload.sha256().forEach(hash -> parts.add(text(boundary, "sha256", hash)));
        try {
            for (Path file : upload.files()) {
                parts.addAll(file(boundary, "file", file));
            }
            for (Path signature : upload.signatures()) {
                parts.addAll(file(boundary, "signature", signature));
            }
        } catch (IOException e) {
            throw new ApiException("cannot read " + e.getMessage(), 0);
        }
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        HttpRequest request = authorized(releaseUrl + "/api/v1/releases").timeout(Duration.ofHours(1))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new))).build();
        HttpResponse<String> response = send(request, true); // streamed from disk: always the JDK client
        JsonNode release = expect(request, response, 200, 201);
        return new Publication(release, response.statusCode() == 201);
    }

    /**
     * {@code POST <gatewayUrl>/api/v1/delta-links}: device-gateway's credential-free link for the .zck with this
     * sha256 (SWUpdate's delta handler sends no credentials). @return {@code {"sha256","path"}}
     */
    public JsonNode mintDeltaLink(String gatewayUrl, String sha256) {
        return post(gatewayUrl + "/api/v1/delta-links", object().put("sha256", sha256));
    }

    public JsonNode releases(String query) {
        return releasesPage(query).items();
    }

    /** One page of a list and the cursor of the next ({@code null} on the last page). */
    public record Page(JsonNode items, String nextCursor) {
    }

    /**
     * {@code GET /api/v1/releases?…}: the body is the array of releases; when more remain, the {@code Next-Cursor}
     * header is what to pass as {@code cursor} for the next page.
     */
    public Page releasesPage(String query) {
        HttpRequest request = authorized(releaseUrl + "/api/v1/releases" + (query.isEmpty() ? "" : "?" + query)).GET()
                .build();
        HttpResponse<String> response = send(request);
        JsonNode releases = expect(request, response, 200);
        return new Page(releases, response.headers().firstValue("Next-Cursor").orElse(null));
    }

    public JsonNode release(String id) {
        return expect(authorized(releaseUrl + "/api/v1/releases/" + encode(id)).GET().build(), 200);
    }

    public JsonNode promoteRelease(String id) {
        return post(releaseUrl + "/api/v1/releases/" + encode(id) + "/promote", null);
    }

    public JsonNode publishDraft(String id) {
        return post(releaseUrl + "/api/v1/releases/" + encode(id) + "/publish", null);
    }

    public JsonNode revokeRelease(String id, String reason) {
        return post(releaseUrl + "/api/v1/releases/" + encode(id) + "/revoke", reasonBody(reason));
    }

    /**
     * {@code GET /api/v1/rollouts?…}: the body is the array of rollouts, newest first; when more remain, the
     * {@code Next-Cursor} header is the cursor of the next page.
     */
    public Page rolloutsPage(String query) {
        HttpRequest request = authorized(rolloutUrl + "/api/v1/rollouts" + (query.isEmpty() ? "" : "?" + query)).GET()
                .build();
        HttpResponse<String> response = send(request);
        JsonNode rollouts = expect(request, response, 200);
        return new Page(rollouts, response.headers().firstValue("Next-Cursor").orElse(null));
    }

    public JsonNode pauseRollout(String id, String reason) {
        return post(rolloutUrl + "/api/v1/rollouts/" + encode(id) + "/pause", reasonBody(reason));
    }

    public JsonNode resumeRollout(String id) {
        return post(rolloutUrl + "/api/v1/rollouts/" + encode(id) + "/resume", null);
    }

    public JsonNode abortRollout(String id, String reason) {
        return post(rolloutUrl + "/api/v1/rollouts/" + encode(id) + "/abort", reasonBody(reason));
    }

    /** {@code POST /api/v1/rollouts/{id}/approve}: lets a rollout waiting for approval start its next wave. */
    public JsonNode approveRollout(String id) {
        return post(rolloutUrl + "/api/v1/rollouts/" + encode(id) + "/approve", object());
    }

    /**
     * {@code GET /api/v1/tenants?…} (release-service, role platform-admin): the array of tenants in id order and, while
     * more remain, the {@code Next-Cursor} of the next page.
     */
    public Page tenantsPage(String query) {
        HttpRequest request = authorized(releaseUrl + "/api/v1/tenants" + (query.isEmpty() ? "" : "?" + query)).GET()
                .build();
        HttpResponse<String> response = send(request);
        return new Page(expect(request, response, 200), response.headers().firstValue("Next-Cursor").orElse(null));
    }

    /** {@code GET /api/v1/tenants/{id}}. */
    public JsonNode tenant(String id) {
        return expect(authorized(releaseUrl + "/api/v1/tenants/" + encode(id)).GET().build(), 200);
    }

    /** {@code POST /api/v1/tenants} {@code {"id","displayName","quotas"}}: 201 and the tenant. */
    public JsonNode createTenant(ObjectNode body) {
        return expect(authorized(releaseUrl + "/api/v1/tenants").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), 201);
    }

    /**
     * {@code PATCH /api/v1/tenants/{id}/quotas} as a JSON merge patch (RFC 7396): the quotas named change (null:
     * unlimited), the others stay — one request, so two administrators changing different quotas lose nothing.
     * PATCH goes over the JDK client: {@link HttpURLConnection} knows no PATCH.
     */
    public JsonNode patchTenantQuotas(String id, ObjectNode patch) {
        HttpRequest request = authorized(releaseUrl + "/api/v1/tenants/" + encode(id) + "/quotas")
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch.toString())).build();
        return expect(request, send(request, true), 200);
    }

    public String releaseUrl() {
        return releaseUrl;
    }

    public String rolloutUrl() {
        return rolloutUrl;
    }

    private JsonNode post(String url, ObjectNode body) {
        HttpRequest.Builder request = authorized(url);
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        return expect(request.build(), 200);
    }

    private static ObjectNode reasonBody(String reason) {
        ObjectNode body = object();
        if (reason != null) {
            body.put("reason", reason);
        }
        return body;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static HttpRequest.BodyPublisher text(String boundary, String name, String value) {
        return HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + value + "\r\n",
                StandardCharsets.UTF_8);
    }

    private static List<HttpRequest.BodyPublisher> file(String boundary, String name, Path file)
            throws IOException {
        String filename = file.getFileName().toString().replace("\"", "");
        return List.of(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data;"
                        + " name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n", StandardCharsets.UTF_8),
                HttpRequest.BodyPublishers.ofFile(file),
                HttpRequest.BodyPublishers.ofString("\r\n"));
    }

    public JsonNode createRollout(ObjectNode body) {
        return expect(authorized(rolloutUrl + "/api/v1/rollouts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), 201);
    }

    /** Like {@link #createRollout} but returns the status and body whatever they are. */
    public HttpResponse<String> tryCreateRollout(Object body) {
        return send(authorized(rolloutUrl + "/api/v1/rollouts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))).build());
    }

    /** {@code POST /api/v1/rollouts/preview} (the plan {@link #createRollout} would make, nothing stored), as is. */
    public HttpResponse<String> tryPreviewRollout(Object body) {
        return send(authorized(rolloutUrl + "/api/v1/rollouts/preview").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))).build());
    }

    public JsonNode rollout(String id) {
        return expect(authorized(rolloutUrl + "/api/v1/rollouts/" + encode(id)).GET().build(), 200);
    }

    public JsonNode rolloutActions(String id) {
        return expect(authorized(rolloutUrl + "/api/v1/rollouts/" + encode(id) + "/actions").GET().build(), 200);
    }

    /** {@code GET /api/v1/rollouts/{id}/history?…}: {@code {"entries":[…],"nextCursor":…}}. */
    public JsonNode rolloutHistory(String id, String query) {
        return expect(authorized(rolloutUrl + "/api/v1/rollouts/" + encode(id) + "/history"
                + (query.isEmpty() ? "" : "?" + query)).GET().build(), 200);
    }

    /** {@code GET /api/v1/devices/{id}/history?…}: {@code {"entries":[…],"nextCursor":…}}. */
    public JsonNode deviceHistory(String deviceId, String query) {
        return expect(authorized(rolloutUrl + "/api/v1/devices/" + encode(deviceId) + "/history"
                + (query.isEmpty() ? "" : "?" + query)).GET().build(), 200);
    }

    /** {@code GET /api/v1/devices?…}: {@code {"items":[…],"page":…,"size":…,"total":…,"nextCursor":…}}. */
    public JsonNode devices(String query) {
        return expect(authorized(rolloutUrl + "/api/v1/devices?" + query).GET().build(), 200);
    }

    public JsonNode rollbacks(String rolloutId) {
        return expect(authorized(telemetryUrl + "/api/v1/rollbacks?rolloutId=" + rolloutId).GET().build(), 200);
    }

    public JsonNode rolloutHealth(String rolloutId) {
        return expect(authorized(telemetryUrl + "/api/v1/rollouts/" + rolloutId + "/health").GET().build(), 200);
    }

    public static JsonNode parse(String json) {
        try {
            return JsonTrees.read(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    /** A request body as JSON: a tree as it is, a typed body through Jackson. */
    public static String json(Object body) {
        try {
            return body instanceof JsonNode tree ? tree.toString() : Mapper.JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** A typed body as the tree it is sent as. */
    public static JsonNode tree(Object body) {
        return Mapper.JSON.valueToTree(body);
    }

    public static ObjectNode object() {
        return JsonTrees.object();
    }

    private HttpRequest.Builder authorized(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private JsonNode expect(HttpRequest request, int... statuses) {
        return expect(request, send(request), statuses);
    }

    private JsonNode expect(HttpRequest request, HttpResponse<String> response, int... statuses) {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                try {
                    JsonNode tree = JsonTrees.read(response.body());
                    CliTiming.mark("json");
                    return tree;
                } catch (IOException e) {
                    throw new IllegalStateException(request.uri() + " returned no JSON: " + response.body(), e);
                }
            }
        }
        throw new ApiException(request.method() + " " + request.uri().getPath() + " answered "
                + response.statusCode() + ": " + problemDetail(response.body()), response.statusCode());
    }

    private HttpResponse<String> send(HttpRequest request) {
        return send(request, false);
    }

    private HttpResponse<String> send(HttpRequest request, boolean streamed) {
        try {
            HttpResponse<String> response = oneShot && !streamed
                    ? OneShotHttp.send(request, CONNECT_TIMEOUT)
                    : http().send(request, HttpResponse.BodyHandlers.ofString());
            CliTiming.mark("request");
            return response;
        } catch (IOException e) {
            throw new ApiException(request.method() + " " + request.uri() + " failed: " + reason(e), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted", 0);
        }
    }

    /** What went wrong on the way, in words: "Connection refused", "request timed out", … */
    public static String reason(IOException failure) {
        if (failure instanceof java.net.http.HttpTimeoutException || failure instanceof SocketTimeoutException) {
            return "timed out";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
        }
        // the JDK client's ConnectException often carries no message at all
        return failure instanceof java.net.ConnectException ? "Connection refused" : failure.getClass().getSimpleName();
    }

    /** The detail of a problem document, or the body as it is. */
    private static String problemDetail(String body) {
        try {
            JsonNode problem = JsonTrees.read(body);
            if (problem != null && problem.hasNonNull("detail")) {
                StringBuilder detail = new StringBuilder(problem.path("detail").asText());
                problem.path("errors").forEach(e -> detail.append("; ").append(e.path("field").asText()).append(": ")
                        .append(e.path("message").asText()));
                return detail.toString();
            }
        } catch (IOException | RuntimeException notJson) {
            // fall through
        }
        return body;
    }

    private static void part(ByteArrayOutputStream body, String boundary, String headers, byte[] content) {
        body.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** A management API answered something other than what the caller expected. */
    public static final class ApiException extends RuntimeException {
        private final int status;

        public ApiException(String message, int status) {
            this(message, status, null);
        }

        /** @param status the HTTP status, or 0 when no answer came (then {@code cause} says why) */
        public ApiException(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        public int status() {
            return status;
        }

        /**
         * Worth asking again: no answer came (refused, reset, timed out), or the service said so itself (5xx, 429 Too
         * Many Requests). Every other 4xx is the caller's mistake and stays one.
         */
        public boolean isTransient() {
            return status == 0 ? getCause() instanceof IOException : status >= 500 || status == 429;
        }

        /** "unreachable (Connection refused)" or "answered 503". */
        public String symptom() {
            return status == 0 && getCause() instanceof IOException io ? "unreachable (" + reason(io) + ")"
                    : "answered " + status;
        }
    }
}
