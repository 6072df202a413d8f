package io.updraft.release.api;

import static io.restassured.RestAssured.given;
import static io.updraft.release.api.RotatingJwtKeys.CURRENT;
import static io.updraft.release.api.RotatingJwtKeys.PREVIOUS;
import static io.updraft.release.api.RotatingJwtKeys.RETIRED;
import static io.updraft.release.api.RotatingJwtKeys.viewerToken;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.updraft.devstack.testing.UpdraftStackResource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JWT verification keys in rotation: the service reads a JWKS (mp.jwt.verify.publickey.location) holding the current
 * and the previous public key, and smallrye-jwt picks the key by the token's {@code kid}.
 */
@QuarkusTest
@TestProfile(JwtKeyRotationIT.KeysInRotation.class)
@QuarkusTestResource(value = UpdraftStackResource.class, initArgs = @ResourceArg(name = "database", value = "release"))
class JwtKeyRotationIT {

    /** The JWKS of {@link RotatingJwtKeys} instead of the dev PEM. */
    public static class KeysInRotation implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RotatingJwtKeys.class));
        }
    }

    @Test
    void givenATokenOfTheCurrentKey_whenCallingTheApi_thenItIsAccepted() {
        given().auth().oauth2(viewerToken(CURRENT, CURRENT)).when().get("/api/v1/releases").then().statusCode(200);
    }

    @Test
    void givenATokenOfThePreviousKeyStillInTheJwks_whenCallingTheApi_thenItIsAccepted() {
        given().auth().oauth2(viewerToken(PREVIOUS, PREVIOUS)).when().get("/api/v1/releases").then().statusCode(200);
    }

    @Test
    void givenATokenOfAKeyDroppedFromTheJwks_whenCallingTheApi_then401() {
        given().auth().oauth2(viewerToken(RETIRED, RETIRED)).when().get("/api/v1/releases")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void givenATokenWhoseKidNamesAnotherKeyThanSignedIt_whenCallingTheApi_then401() {
        // signed by the retired key but claiming a published kid: the published key does not verify it
        given().auth().oauth2(viewerToken(RETIRED, CURRENT)).when().get("/api/v1/releases")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void givenATokenWithAnUnknownKid_whenCallingTheApi_then401() {
        given().auth().oauth2(viewerToken(CURRENT, "no-such-key")).when().get("/api/v1/releases")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void givenATokenWithoutKid_whenTheJwksHoldsTwoKeys_then401() {
        // smallrye-jwt uses a kid-less token's key only when the JWKS holds exactly one key: issuers must set kid
        given().auth().oauth2(viewerToken(CURRENT, null)).when().get("/api/v1/releases")
                .then().statusCode(401).contentType("application/problem+json");
    }
}
