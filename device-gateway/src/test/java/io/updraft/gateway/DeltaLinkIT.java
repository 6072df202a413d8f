package io.updraft.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.testsupport.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Delta links (issue 22): SWUpdate's delta handler fetches the .zck with no credentials, from the URL written into
 * the signed sw-description. Minted through the management API, served with the key alone: the same bytes as the DDI
 * download, and one and the same 404 for every link that grants nothing.
 */
@QuarkusTest
class DeltaLinkIT extends GatewayTestBase {
    private static final Pattern MULTIPART = Pattern.compile("multipart/byteranges; boundary=(\\S+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void givenNoTokenOrAViewer_whenMinting_then401And403() {
        given().contentType(ContentType.JSON).body(Map.of("sha256", sha256())).post("/api/v1/delta-links")
                .then().statusCode(401);
        given().auth().oauth2(token("viewer")).contentType(ContentType.JSON).body(Map.of("sha256", sha256()))
                .post("/api/v1/delta-links").then().statusCode(403);
    }

    @Test
    void givenAPublisherOrOperator_whenMintingForAnyHash_thenThePathWithItsKeyEvenBeforeTheFileExists() {
        String sha = sha256();
        for (String role : List.of("publisher", "operator")) {
            Response answer = given().auth().oauth2(token(role)).contentType(ContentType.JSON)
                    .body(Map.of("sha256", sha)).post("/api/v1/delta-links");
            answer.then().statusCode(200);
            assertThat(answer.jsonPath().getString("sha256")).isEqualTo(sha);
            assertThat(answer.jsonPath().getString("path"))
                    .matches("/delta/v1/DEFAULT/" + sha + "\\.zck\\?key=[A-Za-z0-9_-]{43}");
        }
    }

    @Test
    void givenABadSha256_whenMinting_then400ProblemJson() {
        for (Object bad : List.of(sha256().toUpperCase(), sha256().substring(1), sha256() + "0",
                "g".repeat(64), "", "x".repeat(10_000), 42)) {
            given().auth().oauth2(token("publisher")).contentType(ContentType.JSON).body(Map.of("sha256", bad))
                    .post("/api/v1/delta-links").then().statusCode(400).contentType("application/problem+json");
        }
        given().auth().oauth2(token("publisher")).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/delta-links").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void givenTheLink_whenFetchedWithoutCredentials_thenTheSameBytesAsTheDdiDownloadInEveryForm() throws Exception {
        Zck zck = Zck.installed();
        URI link = zck.link();
        byte[] whole = FakeReleaseService.bytesOf(zck.artifact().artifactId());

        HttpResponse<byte[]> full = get(link, null);
        HttpResponse<byte[]> ddi = HTTP.send(HttpRequest.newBuilder(zck.ddiUri())
                .header("Authorization", "GatewayToken " + DdiDevice.GATEWAY_TOKEN).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(ddi.statusCode()).isEqualTo(200);
        assertThat(full.body()).isEqualTo(ddi.body()).isEqualTo(whole);
        assertThat(full.headers().firstValue("etag")).isEqualTo(ddi.headers().firstValue("etag"));

        HttpResponse<byte[]> one = get(link, "bytes=100-199");
        assertThat(one.statusCode()).isEqualTo(206);
        assertThat(one.headers().firstValue("content-range")).hasValue("bytes 100-199/" + FakeReleaseService.SIZE);
        assertThat(one.body()).isEqualTo(Arrays.copyOfRange(whole, 100, 200));

        HttpResponse<byte[]> multi = get(link, "bytes=500-599,0-9,19990-");
        assertThat(multi.statusCode()).isEqualTo(206);
        Matcher m = MULTIPART.matcher(multi.headers().firstValue("content-type").orElseThrow());
        assertThat(m.matches()).isTrue();
        List<MultiRangeDownloadIT.Part> parts = MultiRangeDownloadIT.parse(multi.body(), m.group(1));
        assertThat(parts).extracting(MultiRangeDownloadIT.Part::contentRange).containsExactly(
                "bytes 500-599/20000", "bytes 0-9/20000", "bytes 19990-19999/20000");
        assertThat(parts.get(0).bytes()).isEqualTo(Arrays.copyOfRange(whole, 500, 600));
        assertThat(parts.get(1).bytes()).isEqualTo(Arrays.copyOfRange(whole, 0, 10));
        assertThat(parts.get(2).bytes()).isEqualTo(Arrays.copyOfRange(whole, 19990, 20000));

        HttpResponse<byte[]> head = HTTP.send(HttpRequest.newBuilder(link).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).header("Range", "bytes=500-599,0-9,19990-").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(head.headers().firstValue("content-length")).isEqualTo(multi.headers().firstValue("content-length"));
        assertThat(head.body()).isEmpty();

        long expected = full.body().length + one.body().length + multi.body().length;
        eventually().until(() -> metric(zck.release(), "delta-link") == expected);
    }

    @Test
    void givenAWrongKeyAnotherTenantOrAnUnknownHash_whenFetched_thenOneAndTheSame404() throws Exception {
        Zck zck = Zck.installed();
        String path = zck.path();
        String key = path.substring(path.indexOf("?key=") + 5);
        String sha = zck.artifact().sha256();
        String unknown = sha256();
        String unknownsKey = mint(unknown).substring(mint(unknown).indexOf("?key=") + 5);
        char flipped = key.charAt(0) == 'A' ? 'B' : 'A';

        List<String> refused = List.of(
                "/delta/v1/DEFAULT/" + sha + ".zck?key=" + flipped + key.substring(1),
                "/delta/v1/DEFAULT/" + sha + ".zck",
                "/delta/v1/DEFAULT/" + sha + ".zck?key=",
                "/delta/v1/DEFAULT/" + sha + ".zck?key=" + key + "A",
                "/delta/v1/OTHER/" + sha + ".zck?key=" + key,
                "/delta/v1/default/" + sha + ".zck?key=" + key,
                "/delta/v1/DEFAULT/" + unknown + ".zck?key=" + unknownsKey, // a valid link of a file nobody has
                "/delta/v1/DEFAULT/" + sha + ".swu?key=" + key,
                "/delta/v1/DEFAULT/" + sha.toUpperCase() + ".zck?key=" + key);
        String firstBody = null;
        for (String target : refused) {
            RawHttp.Answer answer = RawHttp.send("GET", target, null, null);
            assertThat(answer.status()).as(target).isEqualTo(404);
            assertThat(answer.contentType()).as(target).startsWith("application/problem+json");
            if (firstBody == null) {
                firstBody = answer.body();
            }
            assertThat(answer.body()).as(target).isEqualTo(firstBody).doesNotContain(sha);
        }
        assertThat(RawHttp.send("GET", path, null, null).status()).isEqualTo(200);
    }

    @Test
    void givenTheReleaseWasRevoked_whenFetched_thenTheSame404AndTheDdiDownload410() throws Exception {
        Zck zck = Zck.installed();
        String unknownLink = mint(sha256());
        String unknownBody = RawHttp.send("GET", unknownLink, null, null).body();
        assertThat(RawHttp.send("GET", zck.path(), null, null).status()).isEqualTo(200);

        FakeReleaseService.REVOKED.add(zck.artifact().artifactId());

        RawHttp.Answer revoked = RawHttp.send("GET", zck.path(), null, null);
        assertThat(revoked.status()).isEqualTo(404);
        assertThat(revoked.body()).isEqualTo(unknownBody);
        HttpResponse<byte[]> ddi = HTTP.send(HttpRequest.newBuilder(zck.ddiUri())
                .header("Authorization", "GatewayToken " + DdiDevice.GATEWAY_TOKEN).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ddi.statusCode()).isEqualTo(410);
    }

    @Test
    void givenHostilePaths_whenFetched_then4xxNever5xx() {
        Zck zck = Zck.installed();
        String sha = zck.artifact().sha256();
        String key = zck.path().substring(zck.path().indexOf("?key=") + 5);
        for (String target : List.of(
                "/delta/v1/DEFAULT%2F" + sha + ".zck?key=" + key,
                "/delta/v1/DEFAULT/..%2F" + sha + ".zck?key=" + key,
                "/delta/v1/DEFAULT/" + sha + "%00.zck?key=" + key,
                "/delta/v1/DEFAULT/" + sha + ".zck?key=" + key + "%00",
                "/delta/v1/DEFAULT/" + "a".repeat(5000) + ".zck?key=" + key,
                "/delta/v1/" + "T".repeat(5000) + "/" + sha + ".zck?key=" + key,
                "/delta/v1/DEFAULT/" + sha + ".zck?key=" + "k".repeat(5000),
                "/delta/v1/DEFAULT/zz" + sha.substring(2) + ".zck?key=" + key,
                "/delta/v1/DEFAULT/../DEFAULT/" + sha + ".zck?key=" + key,
                "/delta/v1/DEFAULT/" + sha + ".zck/x?key=" + key)) {
            RawHttp.Answer answer = RawHttp.send("GET", target, null, null);
            assertThat(answer.status()).as(target).isBetween(400, 499);
        }
    }

    private static HttpResponse<byte[]> get(URI link, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(link);
        if (range != null) {
            request.header("Range", range);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String sha256() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String token(String role) {
        return UpdraftStackResource.tokens().mint("ci", Duration.ofMinutes(10), role);
    }

    static String mint(String sha256) {
        return given().auth().oauth2(token("publisher")).contentType(ContentType.JSON).body(Map.of("sha256", sha256))
                .post("/api/v1/delta-links").then().statusCode(200).extract().jsonPath().getString("path");
    }

    /** Sum of updraft_gateway_artifact_served_bytes_total for one release and kind. */
    static double metric(String release, String kind) {
        String labels = Pattern.quote("kind=\"" + kind + "\"") + ".*" + Pattern.quote("release=\"" + release + "\"");
        Pattern line = Pattern.compile("updraft_gateway_artifact_served_bytes_total\\{.*" + labels + ".*\\} (\\S+)");
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .map(line::matcher).filter(Matcher::matches)
                .mapToDouble(m -> Double.parseDouble(m.group(1))).sum();
    }

    /** A .zck of a release a device was told to install, and its delta link (minted before the command, as CI does). */
    record Zck(DdiDevice device, long actionId, ArtifactRef artifact, String path) {
        static Zck installed() {
            String sha = sha256();
            String path = mint(sha);
            DdiDevice device = DdiDevice.random();
            long id = Commands.newArtifactId();
            ArtifactRef zck = new ArtifactRef(id, "os", "rootfs-" + id + ".ext4.zck", FakeReleaseService.SIZE, sha,
                    "sha1-" + id, "md5-" + id);
            ArtifactRef swu = Commands.artifact("os", "update-" + id + ".swu");
            long actionId = Commands.newActionId();
            TestKafka.send(Commands.install(device.id(), actionId, ActionType.FORCED, null, List.of(swu, zck)));
            eventually().until(() -> device.offeredDeployment() != null);
            return new Zck(device, actionId, zck, path);
        }

        String release() {
            return "release-" + actionId;
        }

        URI link() {
            return URI.create("http://localhost:" + RawHttp.PORT + path);
        }

        URI ddiUri() {
            return URI.create("http://localhost:" + RawHttp.PORT + device.path() + "/softwaremodules/"
                    + artifact.artifactId() + "/artifacts/" + artifact.filename());
        }
    }
}
