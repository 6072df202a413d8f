package io.updraft.release;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.updraft.devstack.testing.UpdraftStackResource;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** What the release tests share: tokens, unique names, random artifact bytes and a publish request builder. */
public final class ReleaseFixtures {
    public static final String SIGNING_KEY = "test-signing-key-0123456789";
    /** %test.updraft.artifacts.url-signing-previous-keys: a key being rotated out, still accepted. */
    public static final String PREVIOUS_SIGNING_KEY = "test-previous-signing-key-0123456789";
    /** %test.updraft.storage.dir, relative to the module directory the tests run in. */
    public static final Path STORE = Path.of("target/test-data/artifacts");

    private ReleaseFixtures() {
    }

    public static String token(String... roles) {
        return UpdraftStackResource.tokens().mint("release-test", Duration.ofMinutes(10), roles);
    }

    public static String uniqueName() {
        return "fw-" + UUID.randomUUID();
    }

    public static String metadata(String name, String version) {
        return """
                {"name":"%s","version":"%s","hardware":[{"model":"gw-100","revision":"1.0"},{"model":"gw-200","revision":"*"}],"notes":"test release"}
                """.formatted(name, version);
    }

    public static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    public static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A publish request with the publisher role and the given metadata part (no files yet). */
    public static RequestSpecification publishRequest(String metadata) {
        return given().auth().oauth2(token("publisher")).multiPart("metadata", metadata);
    }

    public static ValidatableResponse publish(String metadata, String filename, byte[] bytes) {
        return publishRequest(metadata)
                .multiPart("file", filename, bytes, "application/octet-stream")
                .when().post("/api/v1/releases")
                .then();
    }
}
