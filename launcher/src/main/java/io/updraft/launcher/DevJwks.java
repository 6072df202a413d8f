package io.updraft.launcher;

import io.updraft.devstack.DevKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * The dev public key as a JWKS (RFC 7517), the form production uses to rotate keys: the services select its key by the
 * {@code kid} every dev token carries, exactly as they select the current or previous key of a real identity provider
 * (docs/operations/key-rotation.md). Written beside the PEM, which stays valid for anything that reads it.
 */
public final class DevJwks {
    /** The {@code kid} in the header of every token {@link io.updraft.devstack.DevTokens} mints. */
    public static final String KID = "updraft-dev";

    private DevJwks() {
    }

    /** Writes (or rewrites) {@code jwks.json} next to the dev public key and returns its path. */
    public static Path write(DevKeys keys) {
        try {
            RSAPublicKey key = (RSAPublicKey) DevKeys.readPublicKey(keys.publicKeyFile());
            String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + KID + "\","
                    + "\"n\":\"" + base64url(key.getModulus()) + "\",\"e\":\"" + base64url(key.getPublicExponent())
                    + "\"}]}\n";
            return Files.writeString(keys.publicKeyFile().resolveSibling("jwks.json"), jwks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the dev public key cannot be read", e);
        }
    }

    /** A JWK integer: big-endian, no sign byte, base64url without padding. */
    private static String base64url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] unsigned = bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(unsigned);
    }
}
