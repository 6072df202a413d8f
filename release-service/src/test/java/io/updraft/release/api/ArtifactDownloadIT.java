package io.updraft.release.api;

import static io.restassured.RestAssured.given;
import static io.updraft.release.ReleaseFixtures.PREVIOUS_SIGNING_KEY;
import static io.updraft.release.ReleaseFixtures.SIGNING_KEY;
import static io.updraft.release.ReleaseFixtures.hex;
import static io.updraft.release.ReleaseFixtures.metadata;
import static io.updraft.release.ReleaseFixtures.publish;
import static io.updraft.release.ReleaseFixtures.randomBytes;
import static io.updraft.release.ReleaseFixtures.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.updraft.devstack.testing.UpdraftStackResource;
import io.updraft.support.artifacts.ArtifactUrlSigner;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class ArtifactDownloadIT {
    private static final int SIZE = 70_000;
    private final ArtifactUrlSigner gateway = new ArtifactUrlSigner(SIGNING_KEY);

    private byte[] image;
    private long artifactId;
    private String etag;

    @BeforeEach
    void givenAPublishedArtifact() {
        image = randomBytes(SIZE);
        artifactId = publish(metadata(uniqueName(), "1.0.0"), "fw.swu", image)
                .statusCode(201).extract().jsonPath().getLong("artifacts[0].id");
        etag = "\"" + hex("SHA-256", image) + "\"";
    }

    @Test
    void givenASignedLink_whenDownloading_thenTheWholeArtifactWithItsValidators() {
        Response response = download(null, null);

        response.then().statusCode(200)
                .header("ETag", etag)
                .header("Accept-Ranges", "bytes")
                .header("Content-Length", String.valueOf(SIZE))
                .contentType("application/octet-stream");
        assertThat(response.asByteArray()).isEqualTo(image);
    }

    @Test
    void givenARange_whenDownloading_then206WithExactlyThoseBytes() {
        Response response = download("bytes=1000-1999", null);

        response.then().statusCode(206)
                .header("Content-Range", "bytes 1000-1999/" + SIZE)
                .header("Content-Length", "1000")
                .header("ETag", etag);
        assertThat(response.asByteArray()).isEqualTo(Arrays.copyOfRange(image, 1000, 2000));
    }

    @Test
    void givenAnOpenEndedRange_whenResumingADownload_then206WithTheRest() {
        Response response = download("bytes=65000-", null);

        response.then().statusCode(206).header("Content-Range", "bytes 65000-" + (SIZE - 1) + "/" + SIZE);
        assertThat(response.asByteArray()).isEqualTo(Arrays.copyOfRange(image, 65_000, SIZE));
    }

    @Test
    void givenASuffixRange_whenDownloading_then206WithTheLastBytes() {
        Response response = download("bytes=-500", null);

        response.then().statusCode(206).header("Content-Range", "bytes " + (SIZE - 500) + "-" + (SIZE - 1) + "/" + SIZE);
        assertThat(response.asByteArray()).isEqualTo(Arrays.copyOfRange(image, SIZE - 500, SIZE));
    }

    @Test
    void givenARangePastTheEnd_whenDownloading_then416WithTheSize() {
        download("bytes=" + SIZE + "-", null).then()
                .statusCode(416)
                .header("Content-Range", "bytes */" + SIZE)
                .contentType("application/problem+json")
                .body("status", is(416));
    }

    @Test
    void givenIfRangeWithAnotherEtag_whenDownloading_thenTheWholeArtifact() {
        Response response = download("bytes=0-9", "\"" + hex("SHA-256", new byte[] { 1 }) + "\"");

        response.then().statusCode(200).header("Content-Length", String.valueOf(SIZE));
        assertThat(response.asByteArray()).isEqualTo(image);
    }

    @Test
    void givenIfRangeWithThisEtag_whenDownloading_thenOnlyTheRange() {
        Response response = download("bytes=0-9", etag);

        response.then().statusCode(206).header("Content-Range", "bytes 0-9/" + SIZE);
        assertThat(response.asByteArray()).isEqualTo(Arrays.copyOfRange(image, 0, 10));
    }

    @Test
    void givenABadOrExpiredSignature_whenDownloading_then403() {
        String expired = gateway.sign(artifactId, Duration.ofMinutes(-1));
        String forged = gateway.sign(artifactId, Duration.ofMinutes(5)).replaceAll("signature=.*", "signature=" + "0".repeat(64));
        String otherArtifact = gateway.sign(artifactId + 1, Duration.ofMinutes(5));

        for (String query : new String[] { expired, forged, otherArtifact, "", "expires=abc&signature=00" }) {
            given().when().get("/internal/v1/artifacts/" + artifactId + (query.isEmpty() ? "" : "?" + query))
                    .then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("status", is(403));
        }
    }

    @Test
    void givenAKeyRotation_whenALinkSignedByThePreviousKeyArrives_thenItIsServedButARetiredKeysLinkIs403() {
        String byPrevious = new ArtifactUrlSigner(PREVIOUS_SIGNING_KEY).sign(artifactId, Duration.ofMinutes(5));
        String byRetired = new ArtifactUrlSigner("retired-signing-key-0123456789")
                .sign(artifactId, Duration.ofMinutes(5));

        Response previous = given().when().get("/internal/v1/artifacts/" + artifactId + "?" + byPrevious);
        previous.then().statusCode(200);
        assertThat(previous.asByteArray()).isEqualTo(image);
        given().when().get("/internal/v1/artifacts/" + artifactId + "?" + byRetired)
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void givenHostileSignatureOrExpiryParameters_whenDownloading_thenAProblem4xxNeverA5xx() {
        String valid = gateway.sign(artifactId, Duration.ofMinutes(5));
        String signature = valid.replaceAll(".*signature=", "");
        for (String query : new String[] { "expires=99999999999999999999999&signature=" + signature,
                "expires=9223372036854775807&signature=" + signature, "expires=-9223372036854775808&signature=00",
                "expires=%20&signature=" + signature, valid.replaceAll("signature=.*", "signature=zz%00"),
                valid.replaceAll("signature=.*", "signature=" + "A".repeat(600)), "signature=" + signature + "&expires=",
                valid.replaceAll("signature=.*", "signature=" + signature.toUpperCase() + "0") }) {
            given().urlEncodingEnabled(false).when().get("/internal/v1/artifacts/" + artifactId + "?" + query)
                    .then().statusCode(org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.greaterThanOrEqualTo(400),
                            org.hamcrest.Matchers.lessThan(500)))
                    .contentType("application/problem+json");
        }
    }

    @Test
    void givenAValidSignatureForAnUnknownArtifact_whenDownloading_then404() {
        long unknown = Long.MAX_VALUE - 7;

        given().when().get("/internal/v1/artifacts/" + unknown + "?" + gateway.sign(unknown, Duration.ofMinutes(5)))
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("title", equalTo("Not found"));
    }

    private Response download(String range, String ifRange) {
        var request = given();
        if (range != null) {
            request.header("Range", range);
        }
        if (ifRange != null) {
            request.header("If-Range", ifRange);
        }
        return request.when().get("/internal/v1/artifacts/" + artifactId + "?" + gateway.sign(artifactId,
                Duration.ofMinutes(5)));
    }
}
