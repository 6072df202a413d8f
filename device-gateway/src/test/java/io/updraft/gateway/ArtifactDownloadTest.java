package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.updraft.events.ArtifactRef;
import io.updraft.events.ActionType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ArtifactDownloadTest extends GatewayTestBase {

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
        assertThat(b.request().get(b.path() + "/softwaremodules/" + artifact.artifactId() + "/artifacts")
                .then().statusCode(200).extract().jsonPath().getList("$")).isEmpty();
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

    private static ArtifactRef pendingArtifact(DdiDevice device) {
        ArtifactRef artifact = Commands.artifact("os", "fw-" + Commands.newArtifactId() + ".swu");
        long actionId = Commands.newActionId();
        Kafka.send(Commands.install(device.id(), actionId, ActionType.FORCED, null, List.of(artifact)));
        eventually().until(() -> device.offeredDeployment() != null);
        return artifact;
    }

    private static String artifactPath(DdiDevice device, ArtifactRef artifact) {
        return device.path() + "/softwaremodules/" + artifact.artifactId() + "/artifacts/" + artifact.filename();
    }
}
