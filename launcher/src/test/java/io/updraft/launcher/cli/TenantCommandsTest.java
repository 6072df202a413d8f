package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import io.updraft.launcher.cli.StubApi.Answer;
import io.updraft.launcher.cli.StubApi.Request;
import io.updraft.launcher.cli.StubApi.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code updraft tenants …} against a stand-in of release-service's tenant registry, and {@code updraft whoami}. */
class TenantCommandsTest {
    private static final String ACME = "{\"id\":\"ACME\",\"displayName\":\"Acme Corp.\",\"createdAt\":"
            + "\"2026-12-06T10:00:00Z\",\"updatedAt\":\"2026-12-06T11:00:00Z\",\"version\":3,\"quotas\":"
            + "{\"maxDevices\":100,\"maxArtifactBytes\":5000000000,\"maxRolloutsInFlight\":null,"
            + "\"maxCommandsPerSecond\":50}}";
    private static final String BETA = "{\"id\":\"BETA\",\"displayName\":\"BETA\",\"createdAt\":"
            + "\"2026-12-06T10:00:00Z\",\"updatedAt\":\"2026-12-06T10:00:00Z\",\"version\":1,\"quotas\":"
            + "{\"maxDevices\":null,\"maxArtifactBytes\":null,\"maxRolloutsInFlight\":null,\"maxCommandsPerSecond\":null}}";

    @TempDir
    Path root;
    private final StubApi stub = StubApi.started();

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void givenTwoPagesOfTenants_whenListingAll_thenEveryTenantInOrderFollowingNextCursor() {
        stub.on("/api/v1/tenants", request -> request.uri().contains("cursor=c1") ? Answer.json("[" + BETA + "]")
                : new Answer(200, "[" + ACME + "]", Map.of("Next-Cursor", "c1")));

        Run run = stub.cli(root, "tenants", "list", "--all", "--limit", "1");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(stub.requests()).extracting(Request::uri)
                .containsExactly("/api/v1/tenants?limit=1", "/api/v1/tenants?limit=1&cursor=c1");
        assertThat(run.out().lines().toList()).hasSize(4).satisfies(lines -> {
            assertThat(lines.get(0)).startsWith("ID").contains("DEVICES", "ARTIFACT BYTES", "ROLLOUTS IN FLIGHT",
                    "COMMANDS/S", "VERSION");
            assertThat(lines.get(1)).startsWith("ACME").contains("Acme Corp.", "100", "5000000000 (5.0 GB)",
                    "unlimited", "50");
            assertThat(lines.get(2)).startsWith("BETA").contains("unlimited");
            assertThat(lines.get(3)).isEqualTo("2 tenants");
        });
    }

    @Test
    void givenMoreTenantsThanAPage_whenListingOnePage_thenTheNextCursorIsShownAndIdsPrintOnePerLine() {
        stub.on("/api/v1/tenants", new Answer(200, "[" + ACME + "," + BETA + "]", Map.of("Next-Cursor", "c2")));

        Run page = stub.cli(root, "tenants", "list", "--limit", "2");
        Run ids = stub.cli(root, "--output", "id", "tenants", "list");

        assertThat(page.out()).contains("more: --cursor c2 (or --all for every page)");
        assertThat(ids.out().lines().toList()).containsExactly("ACME", "BETA");
    }

    @Test
    void givenATenant_whenShown_thenItsQuotasInWordsOrTheApisDocumentAsJson() {
        stub.on("/api/v1/tenants/acme", Answer.json(ACME));

        Run human = stub.cli(root, "tenants", "show", "acme");
        Run json = stub.cli(root, "tenants", "show", "acme", "--output", "json");

        assertThat(human.out()).contains("tenant   ACME  (Acme Corp.)", "version  3",
                "quotas   devices 100   artifact bytes 5000000000 (5.0 GB)   rollouts in flight unlimited"
                        + "   commands/s 50");
        assertThat(UpdraftApi.parse(json.out())).isEqualTo(UpdraftApi.parse(ACME));
    }

    @Test
    void givenQuotaOptions_whenCreating_thenOnePostWithTheIdNameAndOnlyTheQuotasGiven() {
        stub.on("/api/v1/tenants", new Answer(201, ACME, Map.of("Location", "/api/v1/tenants/ACME")));

        Run run = stub.cli(root, "tenants", "create", "acme", "--name", "Acme Corp.", "--max-devices", "100",
                "--max-artifact-bytes", "5GB");

        assertThat(run.status()).as(run.err()).isZero();
        Request post = stub.requests().get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(UpdraftApi.parse(post.body())).isEqualTo(UpdraftApi.parse("{\"id\":\"acme\",\"displayName\":"
                + "\"Acme Corp.\",\"quotas\":{\"maxDevices\":100,\"maxArtifactBytes\":5000000000}}"));
        assertThat(run.out()).startsWith("tenant   ACME  (Acme Corp.)");
    }

    @Test
    void givenSomeQuotasSetAndOneLifted_whenChangingQuotas_thenOneMergePatchNamingOnlyThose() {
        stub.on("/api/v1/tenants/acme/quotas", Answer.json(ACME));

        Run run = stub.cli(root, "tenants", "quotas", "acme", "--max-devices", "100", "--max-rollouts-in-flight", "2",
                "--max-commands-per-second", "50", "--unlimited", "artifact-bytes");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(stub.requests()).hasSize(1);
        Request patch = stub.requests().get(0);
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(patch.authorization()).isEqualTo("Bearer stub-token");
        assertThat(UpdraftApi.parse(patch.body())).isEqualTo(UpdraftApi.parse("{\"maxDevices\":100,"
                + "\"maxRolloutsInFlight\":2,\"maxCommandsPerSecond\":50,\"maxArtifactBytes\":null}"));
    }

    @Test
    void givenUnlimitedAll_whenChangingQuotas_thenEveryQuotaIsLifted() {
        stub.on("/api/v1/tenants/acme/quotas", Answer.json(BETA));

        stub.cli(root, "tenants", "quotas", "acme", "--unlimited", "all");

        assertThat(UpdraftApi.parse(stub.requests().get(0).body())).isEqualTo(UpdraftApi.parse("{\"maxDevices\":null,"
                + "\"maxArtifactBytes\":null,\"maxRolloutsInFlight\":null,\"maxCommandsPerSecond\":null}"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "tenants quotas acme", "tenants quotas acme --max-devices 5 --unlimited devices",
            "tenants quotas acme --unlimited disks", "tenants quotas acme --max-devices -1",
            "tenants quotas acme --max-artifact-bytes 5XB", "tenants quotas acme --max-artifact-bytes 9999999TB",
            "tenants create acme --max-rollouts-in-flight two" })
    void givenAQuotaLineThatCannotBeMeant_whenRun_thenUsageErrorAndNoRequest(String line) {
        Run run = stub.cli(root, line.split(" "));

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(UpdraftCli.USAGE);
        assertThat(stub.requests()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({ "5GB, 5000000000", "5GiB, 5368709120", "123, 123", "7b, 7", "2kb, 2000", "1MiB, 1048576" })
    void givenASize_whenRead_thenBytes(String size, long bytes) {
        assertThat(TenantCommands.bytes(size)).isEqualTo(bytes);
    }

    @Test
    void givenATenantsPublisherToken_whenListing_thenThe403IsExplainedWithWhoseTokenWasSent() {
        stub.on("/api/v1/tenants", new Answer(403, "{\"status\":403,\"title\":\"Forbidden\",\"detail\":"
                + "\"not allowed\"}", Map.of()));
        String token = jwt("{\"upn\":\"alice\",\"tenant\":\"acme\",\"groups\":[\"publisher\"]}");

        Run run = stub.cli(root, "--token", token, "tenants", "list");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("answered 403: not allowed", "platform-admin token",
                "(--token) is alice's, tenant ACME, roles publisher", "./updraft token --platform-admin");
    }

    @Test
    void givenAnUnknownOrExistingTenant_whenShownOrCreated_thenTheServicesProblemDetailAndExit1() {
        stub.on("/api/v1/tenants/nope", new Answer(404, "{\"status\":404,\"detail\":\"no tenant NOPE\"}", Map.of()))
                .on("/api/v1/tenants", new Answer(409, "{\"status\":409,\"detail\":\"tenant ACME exists\"}", Map.of()));

        Run unknown = stub.cli(root, "tenants", "show", "nope");
        Run exists = stub.cli(root, "tenants", "create", "Acme");

        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("404: no tenant NOPE").doesNotContain("platform-admin");
        assertThat(exists.status()).isEqualTo(1);
        assertThat(exists.err()).contains("409: tenant ACME exists");
    }

    @Test
    void givenAnIdWithASlash_whenShown_thenItTravelsAsOneEncodedSegment() {
        stub.cli(root, "tenants", "show", "a/b");

        assertThat(stub.requests()).extracting(Request::uri).containsExactly("/api/v1/tenants/a%2Fb");
    }

    @Test
    void givenTokensOfATenantAPlatformAdminAndNoTenant_whenAskedWhoami_thenEachTenantIsNamedWithoutACall() {
        long exp = Instant.parse("2030-01-01T00:00:00Z").getEpochSecond();
        String tenant = jwt("{\"upn\":\"alice\",\"tenant\":\"acme\",\"groups\":[\"publisher\",\"viewer\"],\"exp\":"
                + exp + "}");
        String admin = jwt("{\"sub\":\"root\",\"groups\":[\"platform-admin\"]}");
        String single = jwt("{\"upn\":\"bob\",\"groups\":[\"viewer\"]}");

        Run ofTenant = StubApi.run(root, Map.of("UPDRAFT_TOKEN", tenant), "whoami");
        Run ofAdmin = StubApi.run(root, Map.of(), "whoami", "--token", admin);
        Run ofDefault = StubApi.run(root, Map.of("UPDRAFT_TOKEN", single), "whoami", "--output", "json");

        assertThat(ofTenant.out()).contains("token    UPDRAFT_TOKEN", "subject  alice", "tenant   ACME",
                "roles    publisher, viewer", "expires  2030-01-01T00:00:00Z");
        assertThat(ofAdmin.out()).contains("token    --token", "subject  root", "tenant   none (platform-admin");
        JsonNode json = UpdraftApi.parse(ofDefault.out());
        assertThat(json.path("tenant").isNull()).isTrue();
        assertThat(json.path("subject").asText()).isEqualTo("bob");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void givenATokenThatIsNoJwt_whenAskedWhoami_thenExit1SayingSo() {
        Run run = StubApi.run(root, new HashMap<>(Map.of("UPDRAFT_TOKEN", "opaque")), "whoami");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("is no JWT");
    }

    /** An unsigned JWT with these claims: the CLI reads claims, the services check signatures. */
    static String jwt(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }
}
