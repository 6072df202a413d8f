package io.updraft.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** The management REST APIs of the four services, as an operator or a CI job calls them (bearer token). */
public final class UpdraftApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String releaseUrl;
    private final String rolloutUrl;
    private final String telemetryUrl;
    private final String token;

    public UpdraftApi(String releaseUrl, String rolloutUrl, String telemetryUrl, String token) {
        this.releaseUrl = releaseUrl;
        this.rolloutUrl = rolloutUrl;
        this.telemetryUrl = telemetryUrl;
        this.token = token;
    }

    public static UpdraftApi of(LocalStack stack) {
        return new UpdraftApi(stack.service("release-service").url(), stack.service("rollout-service").url(),
                stack.service("telemetry-service").url(), stack.adminToken());
    }

    /** A hardware model and revision a release is compatible with. */
    public record Hardware(String model, String revision) {
    }

    /** One artifact of a release to publish. */
    public record Artifact(String filename, byte[] content) {
    }

    /** {@code POST /api/v1/releases} as multipart: metadata JSON plus the artifact files. */
    public JsonNode publishRelease(String name, String version, List<Hardware> hardware, List<Artifact> artifacts) {
        ObjectNode metadata = JSON.createObjectNode().put("name", name).put("version", version);
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

    public JsonNode createRollout(ObjectNode body) {
        return expect(authorized(rolloutUrl + "/api/v1/rollouts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), 201);
    }

    /** Like {@link #createRollout} but returns the status and body whatever they are. */
    public HttpResponse<String> tryCreateRollout(ObjectNode body) {
        return send(authorized(rolloutUrl + "/api/v1/rollouts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    public JsonNode rollout(String id) {
        return expect(authorized(rolloutUrl + "/api/v1/rollouts/" + id).GET().build(), 200);
    }

    public JsonNode rolloutActions(String id) {
        return expect(authorized(rolloutUrl + "/api/v1/rollouts/" + id + "/actions").GET().build(), 200);
    }

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
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private HttpRequest.Builder authorized(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private JsonNode expect(HttpRequest request, int... statuses) {
        HttpResponse<String> response = send(request);
        for (int status : statuses) {
            if (response.statusCode() == status) {
                try {
                    return JSON.readTree(response.body());
                } catch (IOException e) {
                    throw new IllegalStateException(request.uri() + " returned no JSON: " + response.body(), e);
                }
            }
        }
        throw new ApiException(request.method() + " " + request.uri().getPath() + " answered "
                + response.statusCode() + ": " + response.body(), response.statusCode());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ApiException(request.method() + " " + request.uri() + " failed: " + e, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted", 0);
        }
    }

    private static void part(ByteArrayOutputStream body, String boundary, String headers, byte[] content) {
        body.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** A management API answered something other than what the caller expected. */
    public static final class ApiException extends RuntimeException {
        private final int status;

        ApiException(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
