package io.updraft.release.service.storage;

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
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Artifacts in an S3-compatible bucket under {@code <prefix><sha256>}, for deployments without a shared volume
 * (Kubernetes). Uploads are one PUT streamed from the spooled file, signed with the payload's sha256, so the store
 * itself rejects bytes that changed on the way; an object appears whole or not at all. Downloads stream ranged GETs
 * through to the device-gateway. The bytes of a two-step upload wait under {@code <prefix>uploads/<uploadId>};
 * adopting them is a server-side copy (S3 CopyObject, objects up to 5 GiB) and a DELETE.
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
    public void stage(Path file, String uploadId, String sha256) throws IOException {
        String key = stagedKey(uploadId);
        expect(send(signed("PUT", key, sha256, Map.of()).PUT(HttpRequest.BodyPublishers.ofFile(file)),
                HttpResponse.BodyHandlers.ofString()), "PUT", key, 200);
        Files.deleteIfExists(file);
    }

    @Override
    public void adopt(String uploadId, String sha256) throws IOException {
        String staged = stagedKey(uploadId);
        if (find(sha256).isEmpty()) {
            HttpResponse<String> copy = send(signed("PUT", key(sha256), SigV4.EMPTY_PAYLOAD,
                    Map.of("x-amz-copy-source", "/" + bucket + "/" + staged))
                    .PUT(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofString());
            if (copy.statusCode() == 404 && find(sha256).isEmpty()) {
                throw new IOException("the bytes of upload " + uploadId + " are neither staged nor stored");
            }
            // S3 may answer a failed copy with 200 and an <Error> body
            if (copy.statusCode() != 404 && (copy.statusCode() != 200 || copy.body().contains("<Error>"))) {
                throw new IOException("S3 copy " + staged + " → " + key(sha256) + " answered " + copy.statusCode()
                        + ": " + copy.body());
            }
        }
        discard(uploadId);
    }

    @Override
    public void discard(String uploadId) throws IOException {
        String key = stagedKey(uploadId);
        HttpResponse<String> delete = send(signed("DELETE", key, SigV4.EMPTY_PAYLOAD, Map.of()).DELETE(),
                HttpResponse.BodyHandlers.ofString());
        if (delete.statusCode() != 204 && delete.statusCode() != 200 && delete.statusCode() != 404) {
            throw new IOException("S3 DELETE " + key + " answered " + delete.statusCode() + ": " + delete.body());
        }
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
        return signed(method, key(sha256), payloadSha256, Map.of());
    }

    private HttpRequest.Builder signed(String method, String key, String payloadSha256,
            Map<String, String> amzHeaders) {
        String path = endpoint.getRawPath() + "/" + bucket + "/" + key;
        URI uri = endpoint.resolve(path);
        String host = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        String amzDate = SigV4.amzDate(Instant.now());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("x-amz-content-sha256", payloadSha256)
                .header("x-amz-date", amzDate)
                .header("Authorization", signer.authorization(method, path, host, payloadSha256, amzDate, amzHeaders));
        amzHeaders.forEach(request::header);
        return request;
    }

    private String key(String sha256) {
        if (!FileSystemArtifactStore.SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lowercase hex sha256: " + sha256);
        }
        return prefix + sha256;
    }

    private String stagedKey(String uploadId) {
        return prefix + "uploads/" + ArtifactStore.requireUploadId(uploadId);
    }

    private static void expect(HttpResponse<String> response, String method, String key, int status)
            throws IOException {
        if (response.statusCode() != status) {
            throw new IOException("S3 " + method + " " + key + " answered " + response.statusCode() + ": "
                    + response.body());
        }
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
