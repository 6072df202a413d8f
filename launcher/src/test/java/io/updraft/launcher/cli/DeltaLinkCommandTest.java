package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.launcher.cli.StubApi.Answer;
import io.updraft.launcher.cli.StubApi.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code release delta-link} (sha256 of the file, the gateway's POST, what is printed) and {@code publish --role}. */
class DeltaLinkCommandTest {
    /** sha256("abc"), FIPS 180-2's first test vector. */
    private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String LINK_PATH = "/delta/v1/default/" + ABC_SHA256 + ".zck?key=k3y";
    private static final String RELEASE = "{\"id\":\"5a0e2a43-4a55-4c0e-8f44-8c7a8d5a1b22\",\"name\":\"gw\","
            + "\"version\":\"1.0.0\",\"state\":\"PUBLISHED\",\"artifacts\":[{\"part\":\"os\",\"filename\":\"gw.swu\","
            + "\"size\":3,\"sha256\":\"" + ABC_SHA256 + "\",\"role\":\"delta\"}]}";

    @TempDir
    Path root;
    private final StubApi gateway = StubApi.started().on("/api/v1/delta-links", Answer.json("{\"sha256\":\""
            + ABC_SHA256 + "\",\"path\":\"" + LINK_PATH + "\"}"));

    @AfterEach
    void stop() {
        gateway.close();
    }

    private Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("UPDRAFT_TOKEN", "stub-token", "UPDRAFT_GATEWAY_URL",
                gateway.url()));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private Path abcFile() throws Exception {
        return Files.writeString(root.resolve("gw-2.0.0.zck"), "abc", StandardCharsets.UTF_8);
    }

    @Test
    void givenAZckFile_whenMintingALink_thenItsSha256IsPostedToTheGatewayWithTheTokenAndThePathPrinted()
            throws Exception {
        Run run = StubApi.run(root, env(), "release", "delta-link", abcFile().toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(gateway.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/api/v1/delta-links");
            assertThat(r.authorization()).isEqualTo("Bearer stub-token");
            assertThat(r.body()).isEqualTo("{\"sha256\":\"" + ABC_SHA256 + "\"}");
        });
        // no device origin known: the path, and how to make it whole
        assertThat(run.out()).startsWith(LINK_PATH + System.lineSeparator()).contains("--device-url");
    }

    @Test
    void givenTheDevicesOrigin_whenMintingBySha256_thenTheWholeUrlIsPrintedAndTheHashLowerCased() {
        Run run = StubApi.run(root, env("UPDRAFT_DEVICE_URL", "https://ddi.example.com/"), "release", "delta-link",
                "--sha256", ABC_SHA256.toUpperCase());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(gateway.requests()).extracting(StubApi.Request::body)
                .containsExactly("{\"sha256\":\"" + ABC_SHA256 + "\"}");
        assertThat(run.out()).isEqualTo("https://ddi.example.com" + LINK_PATH + System.lineSeparator());
    }

    @Test
    void givenUpdraftUpsRunProperties_whenMintingAsJson_thenTheUrlUsesTheLocalGateway() throws Exception {
        Files.createDirectories(root.resolve(".updraft/local"));
        Files.writeString(root.resolve(".updraft/local/run.properties"), "url.device-gateway=" + gateway.url() + "\n");

        Run run = StubApi.run(root, Map.of("UPDRAFT_TOKEN", "stub-token"), "--output", "json", "release",
                "delta-link", "--sha256", ABC_SHA256);

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"path\"").contains("\"url\"").contains(gateway.url() + LINK_PATH);
    }

    @ParameterizedTest
    @ValueSource(strings = { "release delta-link", "release delta-link F --sha256 " + ABC_SHA256,
            "release delta-link --sha256 abc", "release delta-link --sha256 " + ABC_SHA256 + "0",
            "release delta-link --sha256 zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" })
    void givenNeitherBothOrABadHash_whenMinting_thenAUsageErrorAndNoRequest(String line) throws Exception {
        Run run = StubApi.run(root, env(), line.replace("F", abcFile().toString()).split(" "));

        assertThat(run.status()).isEqualTo(UpdraftCli.USAGE);
        assertThat(gateway.requests()).isEmpty();
    }

    @Test
    void givenTheGatewayRefuses_whenMinting_thenExit1WithItsStatus() {
        gateway.on("/api/v1/delta-links", (StubApi.Request r) -> Answer.status(401));

        Run run = StubApi.run(root, env(), "release", "delta-link", "--sha256", ABC_SHA256);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("answered 401");
    }

    @Test
    void givenOneRolePerFile_whenPublishing_thenOneRolePartPerFileInOrder() throws Exception {
        StubApi release = StubApi.started().on("/api/v1/releases", new Answer(201, RELEASE, Map.of()));
        try {
            Path full = Files.writeString(root.resolve("gw-1.0.0.swu"), "full", StandardCharsets.UTF_8);
            Path delta = Files.writeString(root.resolve("gw-delta-1.0.0.swu"), "abc", StandardCharsets.UTF_8);

            Run run = release.cli(root, "release", "publish", "--file", full.toString(), "--role", "full", "--file",
                    delta.toString(), "--role", "DELTA", "--version", "1.0.0", "--hw", "gw:1");

            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).contains("role delta");
            String body = release.requests().get(0).body();
            Matcher role = Pattern.compile("name=\"role\"\\r\\nContent-Type: [^\\r]+\\r\\n\\r\\n([a-z]+)\\r\\n")
                    .matcher(body);
            List<String> roles = new java.util.ArrayList<>();
            while (role.find()) {
                roles.add(role.group(1));
            }
            assertThat(roles).containsExactly("full", "delta");
        } finally {
            release.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "--role delta", "--role full --role patch", "--role full --role delta --role full" })
    void givenRolesThatDoNotFitTheFiles_whenPublishing_thenAUsageErrorAndNothingSent(String roles) throws Exception {
        StubApi release = StubApi.started().on("/api/v1/releases", new Answer(201, RELEASE, Map.of()));
        try {
            Path a = Files.writeString(root.resolve("a-1.0.0.swu"), "a", StandardCharsets.UTF_8);
            Path b = Files.writeString(root.resolve("b-1.0.0.swu"), "b", StandardCharsets.UTF_8);
            List<String> line = new java.util.ArrayList<>(List.of("release", "publish", "--file", a.toString(),
                    "--file", b.toString(), "--version", "1.0.0", "--hw", "gw:1"));
            line.addAll(List.of(roles.split(" ")));

            Run run = release.cli(root, line.toArray(String[]::new));

            assertThat(run.status()).isEqualTo(UpdraftCli.USAGE);
            assertThat(run.err()).contains("--role");
            assertThat(release.requests()).isEmpty();
        } finally {
            release.close();
        }
    }
}
