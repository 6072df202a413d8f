package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.testsupport.TestKafka;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ArtifactDownloadIT extends GatewayTestBase {

    @Test
    void givenArtifactOfThePendingAction_whenDownloaded_thenAllBytesAreStreamed() {
        DdiDevice device = DdiDevice.random();
        ArtifactRef artifact = pendingArtifact(device);

        Response response = device.request().get(artifactPath(device, artifact));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(FakeReleaseService.SIZE));
        assertThat(response.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(response.header("ETag")).isEqualTo("\"artifact-" + artifact.artifactId() + "\"");
        assertThat(response.asByteArray()).isEqualTo(FakeReleaseService.bytesOf(artifact.artifactId()));
    }

    @Test
    void givenRangeHeader_whenDownloaded_then206WithThoseBytes() {
        DdiDevice device = DdiDevice.random();
        ArtifactRef artifact = pendingArtifact(device);

        Response partial = device.request().header("Range", "bytes=100-199").get(artifactPath(device, artifact));
        Response unsatisfiable = device.request().header("Range", "bytes=999999-").get(artifactPath(device, artifact));

        assertThat(partial.statusCode()).isEqualTo(206);
        assertThat(partial.header("Content-Range")).isEqualTo("bytes 100-199/" + FakeReleaseService.SIZE);
        assertThat(partial.asByteArray())
                .isEqualTo(Arrays.copyOfRange(FakeReleaseService.bytesOf(artifact.artifactId()), 100, 200));
        assertThat(unsatisfiable.statusCode()).isEqualTo(416);
        assertThat(unsatisfiable.header("Content-Range")).isEqualTo("bytes */" + FakeReleaseService.SIZE);
    }

    @Test
    void givenDownloadCutMidway_whenResumedWithRange_thenTheJoinedBytesMatchTheAdvertisedSha256() throws Exception {
        DdiDevice device = DdiDevice.random();
        long artifactId = Commands.newArtifactId();
        byte[] whole = FakeReleaseService.bytesOf(artifactId);
        ArtifactRef artifact = new ArtifactRef(artifactId, "os", "resume.swu", whole.length, sha256(whole), "sha1",
                "md5");
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId, ActionType.FORCED, null, List.of(artifact)));
        eventually().until(() -> device.offeredDeployment() != null);
        var base = device.deploymentBase(actionId);
        URI href = URI.create(base.getString("deployment.chunks[0].artifacts[0]._links.download-http.href"));
        String advertisedSha256 = base.getString("deployment.chunks[0].artifacts[0].hashes.sha256");

        // given a download whose connection breaks after 7,000 bytes of the body
        byte[] head;
        String etag;
        try (Socket socket = new Socket(href.getHost(), href.getPort())) {
            socket.getOutputStream().write(("GET " + href.getRawPath() + " HTTP/1.1\r\nHost: " + href.getAuthority()
                    + "\r\nAuthorization: GatewayToken " + DdiDevice.GATEWAY_TOKEN + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<String> headers = readHeaders(in);
            assertThat(headers.get(0)).startsWith("HTTP/1.1 200");
            assertThat(headers).contains("content-length: " + whole.length);
            etag = headers.stream().filter(h -> h.startsWith("etag: ")).findFirst().orElseThrow().substring(6);
            head = in.readNBytes(7_000);
        }
        assertThat(head).hasSize(7_000);

        // when the device resumes from where it stopped, guarded by the ETag it got
        Response rest = device.request().header("Range", "bytes=" + head.length + "-").header("If-Range", etag)
                .get(href.getRawPath());

        // then it gets exactly the rest, and the whole file has the advertised hash
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.header("Content-Range")).isEqualTo("bytes 7000-" + (whole.length - 1) + "/" + whole.length);
        byte[] joined = new byte[head.length + rest.asByteArray().length];
        System.arraycopy(head, 0, joined, 0, head.length);
        System.arraycopy(rest.asByteArray(), 0, joined, head.length, rest.asByteArray().length);
        assertThat(joined).hasSize(whole.length);
        assertThat(sha256(joined)).isEqualTo(advertisedSha256);
    }

    @Test
    void givenIfRangeWithAStaleValidator_whenResuming_thenTheWholeArtifactComesBackWith200() {
        DdiDevice device = DdiDevice.random();
        ArtifactRef artifact = pendingArtifact(device);

        Response response = device.request().header("Range", "bytes=5000-").header("If-Range", "\"some-old-etag\"")
                .get(artifactPath(device, artifact));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asByteArray()).isEqualTo(FakeReleaseService.bytesOf(artifact.artifactId()));
    }

    @Test
    void givenMd5SumRequest_whenFetched_thenPlainTextInMd5sumFormat() {
        DdiDevice device = DdiDevice.random();
        ArtifactRef artifact = pendingArtifact(device);

        Response response = device.request().get(artifactPath(device, artifact) + ".MD5SUM");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/plain");
        assertThat(response.asString()).isEqualTo(artifact.md5() + "  " + artifact.filename());
    }

    @Test
    void givenArtifactOfDeviceA_whenDeviceBAsksForIt_then404() {
        DdiDevice a = DdiDevice.random();
        DdiDevice b = DdiDevice.random();
        ArtifactRef artifact = pendingArtifact(a);
        b.poll();

        String pathOnB = b.path() + "/softwaremodules/" + artifact.artifactId() + "/artifacts/" + artifact.filename();
        b.request().get(pathOnB).then().statusCode(404).contentType("application/problem+json");
        b.request().get(pathOnB + ".MD5SUM").then().statusCode(404);
        a.request().get(artifactPath(a, artifact).replace(artifact.filename(), "other.swu")).then().statusCode(404);
        // as hawkBit: a module none of b's actions carries is not there for b (it listed [] before)
        b.request().get(b.path() + "/softwaremodules/" + artifact.artifactId() + "/artifacts")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void givenModuleOfThePendingAction_whenListed_thenItsArtifactsWithLinks() {
        DdiDevice device = DdiDevice.random();
        ArtifactRef artifact = pendingArtifact(device);

        var list = device.request().get(device.path() + "/softwaremodules/" + artifact.artifactId() + "/artifacts")
                .then().statusCode(200).extract().jsonPath();

        assertThat(list.getList("filename")).containsExactly(artifact.filename());
        assertThat(list.getString("[0]._links.download-http.href")).endsWith(artifactPath(device, artifact));
        assertThat(list.getString("[0].hashes.sha1")).isEqualTo(artifact.sha1());
    }

    /** Status line first, then header lines in lower case, up to the blank line. */
    private static List<String> readHeaders(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String text = line.toString().trim();
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(lines.isEmpty() ? text : text.toLowerCase(Locale.ROOT));
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        throw new IOException("connection closed inside the headers: " + lines);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static ArtifactRef pendingArtifact(DdiDevice device) {
        ArtifactRef artifact = Commands.artifact("os", "fw-" + Commands.newArtifactId() + ".swu");
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId, ActionType.FORCED, null, List.of(artifact)));
        eventually().until(() -> device.offeredDeployment() != null);
        return artifact;
    }

    private static String artifactPath(DdiDevice device, ArtifactRef artifact) {
        return device.path() + "/softwaremodules/" + artifact.artifactId() + "/artifacts/" + artifact.filename();
    }
}
