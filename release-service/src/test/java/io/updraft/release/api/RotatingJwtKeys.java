package io.updraft.release.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An identity provider in the middle of a key rotation: three RSA keys, of which the service is given a JWKS with the
 * {@link #CURRENT} and the {@link #PREVIOUS} public key ({@code mp.jwt.verify.publickey.location}); {@link #RETIRED} is
 * no longer published. The private keys are written beside the JWKS so the test (another class loader than this
 * resource) signs with the same keys. Ordered after UpdraftStackResource, whose PEM location it replaces.
 */
public class RotatingJwtKeys implements QuarkusTestResourceLifecycleManager {
    public static final String CURRENT = "updraft-2026-12";
    public static final String PREVIOUS = "updraft-2026-06";
    public static final String RETIRED = "updraft-2025-12";
    static final Path DIR = Path.of("target/jwt-rotation");
    private static final String ISSUER = "https://updraft.local/dev";

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(DIR);
            StringBuilder jwks = new StringBuilder("{\"keys\":[");
            for (String kid : List.of(CURRENT, PREVIOUS, RETIRED)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Files.write(DIR.resolve(kid + ".key"), pair.getPrivate().getEncoded());
                if (!kid.equals(RETIRED)) {
                    RSAPublicKey key = (RSAPublicKey) pair.getPublic();
                    jwks.append(kid.equals(CURRENT) ? "" : ",").append("{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",")
                            .append("\"kid\":\"").append(kid).append("\",\"n\":\"").append(unsigned(key.getModulus()))
                            .append("\",\"e\":\"").append(unsigned(key.getPublicExponent())).append("\"}");
                }
            }
            Path file = Files.writeString(DIR.resolve("jwks.json"), jwks.append("]}").toString());
            return Map.of("mp.jwt.verify.publickey.location", file.toAbsolutePath().toUri().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
    }

    /** After UpdraftStackResource (order 0): the last resource to set a key wins. */
    @Override
    public int order() {
        return 100;
    }

    /** An RS256 viewer token signed by the key {@code signer}, with {@code kid} in its header ({@code null}: none). */
    public static String viewerToken(String signer, String kid) {
        try {
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(DIR.resolve(signer + ".key"))));
            Instant now = Instant.now();
            String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"" + (kid == null ? "" : ",\"kid\":\"" + kid + "\"") + "}";
            String payload = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"updraft-api\",\"sub\":\"rotation-test\","
                    + "\"upn\":\"rotation-test\",\"groups\":[\"viewer\"],\"iat\":" + now.getEpochSecond()
                    + ",\"exp\":" + now.plus(Duration.ofMinutes(10)).getEpochSecond() + ",\"jti\":\""
                    + UUID.randomUUID() + "\"}";
            String input = base64(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + base64(payload.getBytes(StandardCharsets.UTF_8));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + base64(signature.sign());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        return base64(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
