package io.updraft.release.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Artifacts in an S3-compatible bucket under {@code <prefix><sha256>}, for deployments without a shared volume
 * (Kubernetes). Uploads are one PUT streamed from the spooled file, signed with the payload's sha256, so the store
 * itself rejects bytes that changed on the way; an object appears whole or not at all. Downloads stream ranged GETs
 * through to the device-gateway.
 */
public class S3ArtifactStore implements ArtifactStore {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9/_.-]{0,200}");
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI endpoint;
    private final String bucket;
    private final String prefix;
    private final SigV4 signer;

    public S3ArtifactStore(URI endpoint, String bucket, String region, String prefix, String accessKey,
            String secretKey) {
        if (!PREFIX.matcher(prefix).matches() || !PREFIX.matcher(bucket).matches() || bucket.isEmpty()) {
            throw new IllegalArgumentException("bucket and prefix must be [A-Za-z0-9/_.-]: " + bucket + ", " + prefix);
        }
        String base = endpoint.toString();
        this.endpoint = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.bucket = bucket;
        this.prefix = prefix;
        this.signer = new SigV4(accessKey, secretKey, region);
    }

    @Override
    public void put(Path file, String sha256) throws IOException {
        if (find(sha256).isEmpty()) {
            HttpResponse<String> response = send(request("PUT", sha256, sha256)
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("S3 PUT " + key(sha256) + " answered " + response.statusCode() + ": "
                        + response.body());
            }
        }
        Files.deleteIfExists(file);
    }

    @Override
    public Optional<StoredBlob> find(String sha256) throws IOException {
        HttpResponse<Void> head = send(request("HEAD", sha256, SigV4.EMPTY_PAYLOAD)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() == 404) {
            return Optional.empty();
        }
        if (head.statusCode() != 200) {
            throw new IOException("S3 HEAD " + key(sha256) + " answered " + head.statusCode());
        }
        long size = head.headers().firstValueAsLong("Content-Length")
                .orElseThrow(() -> new IOException("S3 HEAD " + key(sha256) + " without Content-Length"));
        return Optional.of(new StoredBlob() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public Object entity(long first, long length) throws IOException {
                return read(sha256, first, length, size);
            }
        });
    }

    private InputStream read(String sha256, long first, long length, long size) throws IOException {
        HttpRequest.Builder get = request("GET", sha256, SigV4.EMPTY_PAYLOAD).GET();
        boolean whole = first == 0 && length == size;
        if (!whole) {
            get.header("Range", "bytes=" + first + "-" + (first + length - 1));
        }
        HttpResponse<InputStream> response = send(get, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != (whole ? 200 : 206)) {
            response.body().close();
            throw new IOException("S3 GET " + key(sha256) + " answered " + response.statusCode());
        }
        return response.body();
    }

    private HttpRequest.Builder request(String method, String sha256, String payloadSha256) {
        if (!FileSystemArtifactStore.SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lowercase hex sha256: " + sha256);
        }
        String path = endpoint.getRawPath() + "/" + bucket + "/" + key(sha256);
        URI uri = endpoint.resolve(path);
        String host = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        String amzDate = SigV4.amzDate(Instant.now());
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("x-amz-content-sha256", payloadSha256)
                .header("x-amz-date", amzDate)
                .header("Authorization", signer.authorization(method, path, host, payloadSha256, amzDate));
    }

    private String key(String sha256) {
        return prefix + sha256;
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws IOException {
        try {
            return http.send(request.build(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted talking to the object store", e);
        }
    }
}
