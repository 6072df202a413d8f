package io.updraft.e2e.outage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One device driven by the test over DDI with the gateway token: its requests are built here so the probe can send
 * them again and again, and its final feedback is sent the way an agent does through an outage — again after each
 * 503's {@code Retry-After}, until the gateway takes it.
 */
public final class ProbeDevice {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Each attempt of a feedback: when, and what the gateway answered. */
    public record Attempt(Instant at, int status, String retryAfter) {
    }

    private final String gatewayUrl;
    private final String gatewayToken;
    private final String id;

    public ProbeDevice(String gatewayUrl, String gatewayToken, String id) {
        this.gatewayUrl = gatewayUrl;
        this.gatewayToken = gatewayToken;
        this.id = id;
    }

    public String id() {
        return id;
    }

    public HttpRequest poll() {
        return request("").GET().build();
    }

    public HttpRequest deploymentBase(long actionId) {
        return request("/deploymentBase/" + actionId).GET().build();
    }

    public HttpRequest feedback(long actionId, String execution, String finished) {
        String body = "{\"id\":" + actionId + ",\"status\":{\"execution\":\"" + execution + "\",\"result\":{\"finished\":\""
                + finished + "\"},\"details\":[\"probe\"]}}";
        return request("/deploymentBase/" + actionId + "/feedback").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    public HttpRequest configData(String model, String revision, String fleet) {
        String body = "{\"mode\":\"merge\",\"data\":{\"model\":\"" + model + "\",\"revision\":\"" + revision
                + "\",\"fleet\":\"" + fleet + "\"}}";
        return request("/configData").header("Content-Type", "application/json")
                .method("PUT", HttpRequest.BodyPublishers.ofString(body)).build();
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends the request until it is answered with something other than 503 + Retry-After, waiting as long as each
     * 503 asks (at most {@code within} in all). @return every attempt, the last one the answer that ended it
     */
    public List<Attempt> sendHonouringRetryAfter(HttpRequest request, Duration within)
            throws IOException, InterruptedException {
        List<Attempt> attempts = new ArrayList<>();
        Instant deadline = Instant.now().plus(within);
        while (true) {
            HttpResponse<String> response = send(request);
            String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
            attempts.add(new Attempt(Instant.now(), response.statusCode(), retryAfter));
            if (response.statusCode() != 503 || retryAfter == null || Instant.now().isAfter(deadline)) {
                return attempts;
            }
            // what the gateway asked for: an agent waits this long before it tries again
            Thread.sleep(Duration.ofSeconds(Math.min(10, Long.parseLong(retryAfter.trim()))).toMillis());
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gatewayUrl + "/DEFAULT/controller/v1/" + id + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "GatewayToken " + gatewayToken)
                .header("Accept", "application/json");
    }
}
