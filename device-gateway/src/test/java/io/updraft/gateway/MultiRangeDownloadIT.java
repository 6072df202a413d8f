package io.updraft.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.events.DeviceReport;
import io.updraft.testsupport.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Multi-range artifact downloads (RFC 9110 §14, multipart/byteranges §14.6) as a real HTTP client sees them: every
 * multipart body is parsed back and each part compared with the artifact's slice. The artifact is
 * {@link FakeReleaseService}'s 20,000 bytes, served through the gateway's signed single-range requests.
 */
@QuarkusTest
class MultiRangeDownloadIT extends GatewayTestBase {
    private static final int SIZE = FakeReleaseService.SIZE;
    private static final Pattern MULTIPART = Pattern.compile("multipart/byteranges; boundary=([0-9A-Za-z'()+_,./:=?-]+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Part(Map<String, String> headers, byte[] bytes) {
        String contentRange() {
            return headers.get("content-range");
        }
    }

    @Test
    void givenTwoRanges_whenDownloaded_then206MultipartWithEachSliceItsTypeAndContentRange() throws Exception {
        Download d = Download.pending();

        HttpResponse<byte[]> response = d.get("bytes=0-9,20-29", null);

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).matches(MULTIPART);
        assertThat(response.headers().firstValue("content-length").orElseThrow())
                .isEqualTo(Integer.toString(response.body().length));
        assertThat(response.headers().firstValue("etag")).hasValue(d.etag());
        List<Part> parts = parts(response);
        assertThat(parts).extracting(Part::contentRange).containsExactly("bytes 0-9/" + SIZE, "bytes 20-29/" + SIZE);
        assertThat(parts).allSatisfy(p -> assertThat(p.headers()).containsEntry("content-type",
                "application/octet-stream"));
        d.assertSlices(parts);
    }

    @Test
    void givenOutOfOrderRanges_whenDownloaded_thenPartsComeInTheOrderAsked() throws Exception {
        Download d = Download.pending();

        List<Part> parts = parts(d.get("bytes=500-599,0-99,19000-19099", null));

        assertThat(parts).extracting(Part::contentRange).containsExactly("bytes 500-599/" + SIZE,
                "bytes 0-99/" + SIZE, "bytes 19000-19099/" + SIZE);
        d.assertSlices(parts);
    }

    @Test
    void givenOverlappingRanges_whenDownloaded_thenTheyAreCoalescedAndTouchingOnesAreNot() throws Exception {
        Download d = Download.pending();

        List<Part> coalesced = parts(d.get("bytes=1000-1099,0-99,50-149", null));
        List<Part> touching = parts(d.get("bytes=0-9,10-19", null));
        HttpResponse<byte[]> intoOne = d.get("bytes=0-99,50-149", null);

        assertThat(coalesced).extracting(Part::contentRange).containsExactly("bytes 1000-1099/" + SIZE,
                "bytes 0-149/" + SIZE);
        d.assertSlices(coalesced);
        assertThat(touching).extracting(Part::contentRange).containsExactly("bytes 0-9/" + SIZE,
                "bytes 10-19/" + SIZE);
        // two ranges that overlap into one: a plain single-part 206, as for one range
        assertThat(intoOne.statusCode()).isEqualTo(206);
        assertThat(intoOne.headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(intoOne.headers().firstValue("content-range")).hasValue("bytes 0-149/" + SIZE);
        assertThat(intoOne.body()).isEqualTo(Arrays.copyOfRange(d.whole(), 0, 150));
    }

    @Test
    void givenSuffixAndOpenRanges_whenDownloaded_thenTheyResolveAgainstTheLength() throws Exception {
        Download d = Download.pending();

        List<Part> parts = parts(d.get("bytes=0-9,-100,5000-", null));

        assertThat(parts).extracting(Part::contentRange).containsExactly("bytes 0-9/" + SIZE,
                "bytes 5000-" + (SIZE - 1) + "/" + SIZE);
        d.assertSlices(parts);
        List<Part> separate = parts(d.get("bytes=-100,0-9", null));
        assertThat(separate).extracting(Part::contentRange).containsExactly(
                "bytes " + (SIZE - 100) + "-" + (SIZE - 1) + "/" + SIZE, "bytes 0-9/" + SIZE);
        d.assertSlices(separate);
    }

    @Test
    void givenRangesPastTheEnd_whenPartlyOutside_thenClippedOrDroppedAndWhollyOutsideIs416() throws Exception {
        Download d = Download.pending();

        List<Part> partly = parts(d.get("bytes=0-9,30000-30010,19995-25000", null));
        HttpResponse<byte[]> fully = d.get("bytes=20000-20010,30000-", null);

        assertThat(partly).extracting(Part::contentRange).containsExactly("bytes 0-9/" + SIZE,
                "bytes 19995-19999/" + SIZE);
        d.assertSlices(partly);
        assertThat(fully.statusCode()).isEqualTo(416);
        assertThat(fully.headers().firstValue("content-range")).hasValue("bytes */" + SIZE);
        assertThat(fully.headers().firstValue("content-type")).hasValue("application/problem+json");
    }

    @Test
    void givenMoreRangesThanTheMaximum_whenDownloaded_then416AndAtTheMaximumAllAreServed() throws Exception {
        Download d = Download.pending();
        // 200 (the default maximum) non-adjacent ranges of 10 bytes: what SWUpdate 2022.12 may send is 150
        String twoHundred = IntStream.range(0, 200).mapToObj(i -> (i * 100) + "-" + (i * 100 + 9))
                .collect(Collectors.joining(","));

        HttpResponse<byte[]> atMax = d.get("bytes=" + twoHundred, null);
        HttpResponse<byte[]> tooMany = d.get("bytes=" + twoHundred + ",19990-19995", null);

        assertThat(atMax.statusCode()).isEqualTo(206);
        List<Part> parts = parts(atMax);
        assertThat(parts).hasSize(200);
        d.assertSlices(parts);
        assertThat(tooMany.statusCode()).isEqualTo(416);
        assertThat(tooMany.headers().firstValue("content-range")).hasValue("bytes */" + SIZE);
        assertThat(new String(tooMany.body(), StandardCharsets.UTF_8)).contains("at most 200 ranges");
    }

    @Test
    void givenMalformedRangeHeaders_whenDownloaded_thenIgnoredAndTheWholeArtifactComesWith200() throws Exception {
        Download d = Download.pending();

        for (String header : List.of("bytes=0-9,abc", "bytes=9-0,20-29", "items=0-9,20-29", "bytes=,",
                "bytes=0-9;20-29", "bytes=-,0-1")) {
            HttpResponse<byte[]> response = d.get(header, null);
            assertThat(response.statusCode()).as(header).isEqualTo(200);
            assertThat(response.body()).as(header).isEqualTo(d.whole());
        }
        // empty list elements are allowed (RFC 9110 §5.6.1), also around a single range
        assertThat(parts(d.get("bytes=0-9,,20-29,", null))).hasSize(2);
        HttpResponse<byte[]> single = d.get("bytes=100-199,", null);
        assertThat(single.statusCode()).isEqualTo(206);
        assertThat(single.headers().firstValue("content-range")).hasValue("bytes 100-199/" + SIZE);
        assertThat(single.body()).isEqualTo(Arrays.copyOfRange(d.whole(), 100, 200));
    }

    @Test
    void givenIfRange_whenItMatchesTheETag_then206ElseTheWhole200() throws Exception {
        Download d = Download.pending();

        HttpResponse<byte[]> matching = d.get("bytes=0-9,20-29", d.etag());
        HttpResponse<byte[]> stale = d.get("bytes=0-9,20-29", "\"some-old-etag\"");
        HttpResponse<byte[]> weak = d.get("bytes=0-9,20-29", "W/" + d.etag());
        HttpResponse<byte[]> date = d.get("bytes=0-9,20-29", "Sun, 06 Dec 2026 00:00:00 GMT");

        assertThat(matching.statusCode()).isEqualTo(206);
        d.assertSlices(parts(matching));
        for (HttpResponse<byte[]> whole : List.of(stale, weak, date)) {
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.headers().firstValue("content-length")).hasValue(Integer.toString(SIZE));
            assertThat(whole.body()).isEqualTo(d.whole());
        }
        // If-Range is evaluated before the ranges: a stale one gets the whole even for too many ranges
        String tooMany = "bytes=" + IntStream.range(0, 201).mapToObj(i -> i + "-" + i).collect(Collectors.joining(","));
        assertThat(d.get(tooMany, "\"some-old-etag\"").statusCode()).isEqualTo(200);
    }

    @Test
    void givenHead_whenMultiRange_thenTheGetsHeadersWithoutABody() throws Exception {
        Download d = Download.pending();

        HttpResponse<byte[]> get = d.get("bytes=0-9,20-29", null);
        HttpResponse<byte[]> head = HTTP.send(d.builder("bytes=0-9,20-29", null)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> headTooMany = HTTP.send(d.builder("bytes=" + IntStream.range(0, 201)
                .mapToObj(i -> i + "-" + i).collect(Collectors.joining(",")), null)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> headWhole = HTTP.send(d.builder(null, null)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(head.headers().firstValue("content-type").orElseThrow()).matches(MULTIPART);
        assertThat(head.headers().firstValue("content-length"))
                .hasValue(get.headers().firstValue("content-length").orElseThrow());
        assertThat(head.body()).isEmpty();
        assertThat(headTooMany.statusCode()).isEqualTo(416);
        assertThat(headWhole.statusCode()).isEqualTo(200);
        assertThat(headWhole.headers().firstValue("content-length")).hasValue(Integer.toString(SIZE));
    }

    @Test
    void givenNoTokenAnotherDevicesTokenOrAnotherDevicesArtifact_whenMultiRange_thenRefused() throws Exception {
        Download a = Download.pending();
        DdiDevice b = DdiDevice.random();
        DdiPollIT.provision(b, "multirange-token-b-" + b.id());
        b.poll();
        String range = "bytes=0-9,20-29";

        HttpResponse<byte[]> anonymous = HTTP.send(HttpRequest.newBuilder(a.uri()).header("Range", range).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> withBsToken = HTTP.send(HttpRequest.newBuilder(a.uri()).header("Range", range)
                .header("Authorization", "TargetToken multirange-token-b-" + b.id()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        URI onB = URI.create(a.uri().toString().replace(a.device().id(), b.id()));
        HttpResponse<byte[]> aArtifactOnB = HTTP.send(HttpRequest.newBuilder(onB).header("Range", range)
                .header("Authorization", "GatewayToken " + DdiDevice.GATEWAY_TOKEN).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> aArtifactWithBsOwnToken = HTTP.send(HttpRequest.newBuilder(onB).header("Range", range)
                .header("Authorization", "TargetToken multirange-token-b-" + b.id()).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(withBsToken.statusCode()).isEqualTo(401);
        assertThat(aArtifactOnB.statusCode()).isEqualTo(404);
        assertThat(aArtifactWithBsOwnToken.statusCode()).isEqualTo(404);
        for (HttpResponse<byte[]> refused : List.of(anonymous, withBsToken, aArtifactOnB, aArtifactWithBsOwnToken)) {
            assertThat(new String(refused.body(), StandardCharsets.ISO_8859_1)).doesNotContain("Content-Range");
        }
    }

    @Test
    void givenLibcurl_whenAskingForTwoRanges_thenItReceivesTheMultipartAnswerWithBothSlices() throws Exception {
        Download d = Download.pending();
        Path body = Files.createTempFile("multirange", ".bin");
        Path headers = Files.createTempFile("multirange", ".headers");
        try {
            Process curl = new ProcessBuilder("curl", "-sS", "-r", "0-9,20-29", "-H",
                    "Authorization: GatewayToken " + DdiDevice.GATEWAY_TOKEN, "-D", headers.toString(), "-o",
                    body.toString(), d.uri().toString()).redirectErrorStream(true).start();
            assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String curlOutput = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.exitValue()).as(curlOutput).isZero();

            List<String> headerLines = Files.readAllLines(headers, StandardCharsets.ISO_8859_1);
            assertThat(headerLines.get(0)).startsWith("HTTP/1.1 206");
            String type = headerLines.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith("content-type:"))
                    .findFirst().orElseThrow().substring("content-type:".length()).trim();
            Matcher m = MULTIPART.matcher(type);
            assertThat(m.matches()).as(type).isTrue();
            List<Part> parts = parse(Files.readAllBytes(body), m.group(1));
            assertThat(parts).extracting(Part::contentRange).containsExactly("bytes 0-9/" + SIZE,
                    "bytes 20-29/" + SIZE);
            d.assertSlices(parts);
        } finally {
            Files.deleteIfExists(body);
            Files.deleteIfExists(headers);
        }
    }

    @Test
    void givenFullRangedAndMultiRangeDownloads_whenTheActionFinishes_thenItsBytesAreCountedPerReleaseAndReported()
            throws Exception {
        Download d = Download.pending();
        String release = "release-" + d.actionId();

        long full = d.get(null, null).body().length;
        long ranged = d.get("bytes=100-199", null).body().length;
        long multi = d.get("bytes=0-9,20-29,-5", null).body().length;
        eventually().until(() -> metric(release, "multirange") == multi && metric(release, "full") == full
                && metric(release, "range") == ranged);
        assertThat(full).isEqualTo(SIZE);
        assertThat(ranged).isEqualTo(100);

        assertThat(d.device().feedback(d.actionId(), "closed", "success")).isEqualTo(200);

        DeviceReport.ActionFinished finished = Reports.awaitOne(d.device().id(), DeviceReport.ActionFinished.class);
        assertThat(finished.bytesServed()).isEqualTo(full + ranged + multi);
    }

    @Test
    void givenAnActionNothingWasDownloadedFor_whenItFinishes_thenBytesServedIsAbsent() {
        DdiDevice device = DdiDevice.random();
        long actionId = Commands.newActionId();
        TestKafka.send(Commands.install(device.id(), actionId));
        eventually().until(() -> device.offeredDeployment() != null);

        assertThat(device.feedback(actionId, "closed", "success")).isEqualTo(200);

        assertThat(Reports.awaitOne(device.id(), DeviceReport.ActionFinished.class).bytesServed()).isNull();
    }

    /** Sum of updraft_gateway_artifact_served_bytes_total for one release and kind. */
    private static double metric(String release, String kind) {
        String labels = Pattern.quote("kind=\"" + kind + "\"") + ".*" + Pattern.quote("release=\"" + release + "\"");
        Pattern line = Pattern.compile("updraft_gateway_artifact_served_bytes_total\\{.*" + labels + ".*\\} (\\S+)");
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .map(line::matcher).filter(Matcher::matches)
                .mapToDouble(m -> Double.parseDouble(m.group(1))).sum();
    }

    private static List<Part> parts(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(206);
        String type = response.headers().firstValue("content-type").orElseThrow();
        Matcher m = MULTIPART.matcher(type);
        assertThat(m.matches()).as(type).isTrue();
        assertThat(response.headers().firstValue("content-length"))
                .hasValue(Integer.toString(response.body().length));
        return parse(response.body(), m.group(1));
    }

    /**
     * A strict multipart/byteranges reader (RFC 2046 §5.1.1): the body starts with the delimiter, each part has
     * headers, a blank line and exactly the bytes its Content-Range names, and the close delimiter ends it.
     */
    static List<Part> parse(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<Part> parts = new ArrayList<>();
        int at = 0;
        assertThat(startsWith(body, at, delimiter)).as("body starts with the delimiter").isTrue();
        while (true) {
            at += delimiter.length;
            if (startsWith(body, at, "--\r\n".getBytes(StandardCharsets.US_ASCII))) {
                assertThat(at + 4).as("nothing after the close delimiter").isEqualTo(body.length);
                return parts;
            }
            assertThat(startsWith(body, at, "\r\n".getBytes(StandardCharsets.US_ASCII))).isTrue();
            at += 2;
            Map<String, String> headers = new LinkedHashMap<>();
            while (!startsWith(body, at, "\r\n".getBytes(StandardCharsets.US_ASCII))) {
                int end = indexOf(body, at, "\r\n".getBytes(StandardCharsets.US_ASCII));
                String header = new String(body, at, end - at, StandardCharsets.US_ASCII);
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim());
                at = end + 2;
            }
            at += 2;
            Matcher range = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)").matcher(headers.get("content-range"));
            assertThat(range.matches()).isTrue();
            int length = Integer.parseInt(range.group(2)) - Integer.parseInt(range.group(1)) + 1;
            parts.add(new Part(headers, Arrays.copyOfRange(body, at, at + length)));
            at += length;
            assertThat(startsWith(body, at, "\r\n".getBytes(StandardCharsets.US_ASCII))).isTrue();
            at += 2;
            assertThat(startsWith(body, at, delimiter)).as("a delimiter after each part").isTrue();
        }
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        return at + prefix.length <= body.length
                && Arrays.equals(body, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] body, int from, byte[] needle) {
        for (int i = from; i + needle.length <= body.length; i++) {
            if (startsWith(body, i, needle)) {
                return i;
            }
        }
        throw new AssertionError("no " + new String(needle, StandardCharsets.US_ASCII) + " after " + from);
    }

    /** A device with a pending action whose one artifact it downloads. */
    record Download(DdiDevice device, long actionId, ArtifactRef artifact) {
        static Download pending() {
            DdiDevice device = DdiDevice.random();
            ArtifactRef artifact = Commands.artifact("os", "delta-" + Commands.newArtifactId() + ".zck");
            long actionId = Commands.newActionId();
            TestKafka.send(Commands.install(device.id(), actionId, ActionType.FORCED, null, List.of(artifact)));
            eventually().until(() -> device.offeredDeployment() != null);
            return new Download(device, actionId, artifact);
        }

        URI uri() {
            int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
            return URI.create("http://localhost:" + port + device.path() + "/softwaremodules/"
                    + artifact.artifactId() + "/artifacts/" + artifact.filename());
        }

        String etag() {
            return "\"artifact-" + artifact.artifactId() + "\"";
        }

        byte[] whole() {
            return FakeReleaseService.bytesOf(artifact.artifactId());
        }

        HttpRequest.Builder builder(String range, String ifRange) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri())
                    .header("Authorization", "GatewayToken " + DdiDevice.GATEWAY_TOKEN);
            if (range != null) {
                builder.header("Range", range);
            }
            if (ifRange != null) {
                builder.header("If-Range", ifRange);
            }
            return builder;
        }

        HttpResponse<byte[]> get(String range, String ifRange) throws Exception {
            return HTTP.send(builder(range, ifRange).build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        void assertSlices(List<Part> parts) {
            byte[] whole = whole();
            for (Part part : parts) {
                Matcher m = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)").matcher(part.contentRange());
                assertThat(m.matches()).isTrue();
                assertThat(Integer.parseInt(m.group(3))).isEqualTo(whole.length);
                assertThat(part.bytes()).as(part.contentRange()).isEqualTo(
                        Arrays.copyOfRange(whole, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) + 1));
            }
        }
    }
}
