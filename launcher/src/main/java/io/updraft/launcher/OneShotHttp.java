package io.updraft.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSession;

/**
 * One request of {@link UpdraftApi#oneShot} over {@link HttpURLConnection}, on the calling thread: the request's
 * method, headers, in-memory body and timeout as the JDK HttpClient would send them (no redirects followed), the
 * answer as an {@link HttpResponse} of its body as text. No selector thread, no SSL context unless the URL is https.
 */
final class OneShotHttp {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final String RESTRICTED_HEADERS = "sun.net.http.allowRestrictedHeaders";

    static {
        // a POST without body says "Content-Length: 0", as the JDK client does (RFC 9110 9.3.3 / 8.6); the JDK lets
        // HttpURLConnection set that header only with this property, read once, when HttpURLConnection is first used
        // in the process (the CLI: here). Where something used it before, the header is dropped and the POST goes
        // without it, which servers read as no body too.
        if (System.getProperty(RESTRICTED_HEADERS) == null) {
            System.setProperty(RESTRICTED_HEADERS, "true");
        }
    }

    private OneShotHttp() {
    }

    static HttpResponse<String> send(HttpRequest request, Duration connectTimeout) throws IOException {
        byte[] body = body(request);
        HttpURLConnection connection = (HttpURLConnection) request.uri().toURL().openConnection();
        connection.setInstanceFollowRedirects(false); // as HttpClient.Redirect.NEVER, the JDK client's default
        connection.setConnectTimeout((int) connectTimeout.toMillis());
        connection.setReadTimeout((int) request.timeout().orElse(DEFAULT_TIMEOUT).toMillis());
        connection.setRequestMethod(request.method());
        request.headers().map().forEach((name, values) -> values.forEach(v -> connection.addRequestProperty(name, v)));
        try {
            // an empty body is no output: with one, HttpURLConnection would add Content-Type:
            // application/x-www-form-urlencoded, which the JDK client never sends (a service may answer 415)
            if (body != null && body.length == 0) {
                connection.setRequestProperty("Content-Length", "0");
            } else if (body != null) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            byte[] answer = in == null ? new byte[0] : readAll(in);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            connection.getHeaderFields().forEach((name, values) -> {
                if (name != null) { // the status line
                    headers.put(name, values);
                }
            });
            HttpHeaders httpHeaders = HttpHeaders.of(headers, (name, value) -> true);
            String text = new String(answer, charset(httpHeaders));
            return new Response(request, status, httpHeaders, text);
        } catch (IOException e) {
            connection.disconnect();
            throw e;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    /** The body the request carries, {@code null} for none (a GET); a POST without one sends Content-Length: 0. */
    private static byte[] body(HttpRequest request) throws IOException {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty()) {
            return "GET".equals(request.method()) || "DELETE".equals(request.method()) ? null : new byte[0];
        }
        CompletableFuture<byte[]> collected = new CompletableFuture<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        publisher.get().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable failure) {
                collected.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                collected.complete(bytes.toByteArray());
            }
        });
        try {
            byte[] body = collected.get(30, TimeUnit.SECONDS);
            return body.length == 0 && "GET".equals(request.method()) ? null : body;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("request body not ready within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static Charset charset(HttpHeaders headers) {
        String type = headers.firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        int at = type.indexOf("charset=");
        if (at >= 0) {
            String name = type.substring(at + "charset=".length()).split(";")[0].strip().replace("\"", "");
            try {
                return Charset.forName(name);
            } catch (RuntimeException unknown) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }

    private record Response(HttpRequest request, int statusCode, HttpHeaders headers, String body)
            implements HttpResponse<String> {
        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
