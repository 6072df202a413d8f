package io.updraft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.devstack.DevKeys;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevJwksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void givenTheDevKeys_whenWritten_thenOneRs256KeyWithTheKidOfDevTokensAndThePublicKeysNumbers() throws Exception {
        DevKeys keys = DevKeys.in(dir.resolve("keys"));

        Path file = DevJwks.write(keys);

        JsonNode jwks = JSON.readTree(file.toFile()).get("keys");
        assertThat(jwks).hasSize(1);
        JsonNode key = jwks.get(0);
        assertThat(key.get("kty").asText()).isEqualTo("RSA");
        assertThat(key.get("alg").asText()).isEqualTo("RS256");
        RSAPublicKey publicKey = (RSAPublicKey) DevKeys.readPublicKey(keys.publicKeyFile());
        assertThat(new BigInteger(1, Base64.getUrlDecoder().decode(key.get("n").asText())))
                .isEqualTo(publicKey.getModulus());
        assertThat(new BigInteger(1, Base64.getUrlDecoder().decode(key.get("e").asText())))
                .isEqualTo(publicKey.getPublicExponent());
        String header = keys.tokens().admin().split("\\.")[0];
        assertThat(JSON.readTree(new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8))
                .get("kid").asText()).as("the services select the key by the token's kid").isEqualTo(key.get("kid")
                        .asText());
        assertThat(keys.publicKeyFile()).as("the PEM stays for whatever reads it").exists();
    }
}
