package io.updraft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.devstack.DevKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./updraft token [--tenant T | --platform-admin]}: a token of the local key for a tenant or the platform. */
class DevTokenOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void givenNoOption_whenMinted_thenEveryRoleAndNoTenantClaim() throws Exception {
        JsonNode claims = claims(run("token"));

        assertThat(claims.has("tenant")).isFalse();
        assertThat(claims.path("groups").toString()).contains("publisher", "operator", "viewer");
    }

    @Test
    void givenATenant_whenMinted_thenItsCanonicalIdIsTheClaimWithEveryRole() throws Exception {
        Minted minted = run("token", "--tenant", "acme-2");

        assertThat(minted.status).isZero();
        assertThat(claims(minted).path("tenant").asText()).isEqualTo("ACME-2");
        assertThat(claims(minted).path("groups").toString()).contains("publisher", "operator", "viewer");
        assertThat(minted.err).contains("tenant ACME-2");
        assertThat(run("token", "--tenant=beta").out).isNotBlank();
    }

    @Test
    void givenPlatformAdmin_whenMinted_thenOnlyThatRoleAndNoTenant() throws Exception {
        JsonNode claims = claims(run("token", "--platform-admin"));

        assertThat(claims.has("tenant")).isFalse();
        assertThat(claims.path("groups").toString()).isEqualTo("[\"platform-admin\"]");
    }

    @Test
    void givenNoTenantIdOrBothOptions_whenMinted_thenExit2AndNoToken() throws Exception {
        for (String[] line : new String[][] { { "token", "--tenant", "a/b" }, { "token", "--tenant", "x".repeat(41) },
                { "token", "--tenant", "acme", "--platform-admin" }, { "token", "--role" } }) {
            Minted minted = run(line);
            assertThat(minted.status).as(String.join(" ", line)).isEqualTo(2);
            assertThat(minted.out).isEmpty();
        }
    }

    private record Minted(int status, String out, String err) {
    }

    private Minted run(String... args) {
        DevKeys.in(root.resolve(Updraft.UP_HOME).resolve("keys"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Updraft.token(root, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Minted(status, out.toString(StandardCharsets.UTF_8).strip(), err.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode claims(Minted minted) throws Exception {
        String[] parts = minted.out.split("\\.");
        return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    }
}
