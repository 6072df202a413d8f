package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.devstack.DevKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointsTest {
    @TempDir
    Path root;

    @Test
    void givenNothingConfigured_whenResolving_thenTheDefaultPortsAndNoTokenIsAClearError() {
        assertThatThrownBy(() -> Endpoints.resolve(root, Map.of(), null, null, null, null))
                .hasMessageContaining("UPDRAFT_TOKEN");

        Endpoints endpoints = Endpoints.resolve(root, Map.of("UPDRAFT_TOKEN", "t"), null, null, null, null);

        assertThat(endpoints).isEqualTo(new Endpoints("http://localhost:8081", "http://localhost:8082",
                "http://localhost:8084", "t"));
    }

    @Test
    void givenUpRanLocally_whenResolving_thenItsUrlsAndAMintedTokenAreUsed() throws Exception {
        Path local = Files.createDirectories(root.resolve(".updraft/local"));
        Files.writeString(local.resolve("run.properties"), """
                url.release-service=http://127.0.0.1:9001
                url.rollout-service=http://127.0.0.1:9002
                url.telemetry-service=http://127.0.0.1:9004
                """);
        DevKeys.in(local.resolve("keys"));

        Endpoints endpoints = Endpoints.resolve(root, Map.of(), null, null, null, null);

        assertThat(endpoints.release()).isEqualTo("http://127.0.0.1:9001");
        assertThat(endpoints.rollout()).isEqualTo("http://127.0.0.1:9002");
        assertThat(endpoints.token().split("\\.")).hasSize(3);
    }

    @Test
    void givenOptionsAndEnvironment_whenResolving_thenOptionsWinOverEnvironmentOverUp() throws Exception {
        Path local = Files.createDirectories(root.resolve(".updraft/local"));
        Files.writeString(local.resolve("run.properties"), "url.release-service=http://up:1\n");

        Endpoints endpoints = Endpoints.resolve(root, Map.of("UPDRAFT_TOKEN", " t ",
                "UPDRAFT_RELEASE_URL", "https://release.example/", "UPDRAFT_ROLLOUT_URL", "https://rollout.example"),
                null, "https://option.example", null, null);

        assertThat(endpoints.release()).isEqualTo("https://release.example");
        assertThat(endpoints.rollout()).isEqualTo("https://option.example");
        assertThat(endpoints.token()).isEqualTo("t");
    }

    @Test
    void givenATokenOption_whenResolving_thenItWinsOverTheEnvironment() {
        Endpoints endpoints = Endpoints.resolve(root, Map.of("UPDRAFT_TOKEN", "from-env"), null, null, null,
                " from-option ");

        assertThat(endpoints.token()).isEqualTo("from-option");
    }

    @Test
    void givenOneOriginForEveryApi_whenResolving_thenEachServiceUsesItUnlessItsOwnUrlIsGiven() {
        Endpoints fromOption = Endpoints.resolve(root, Map.of("UPDRAFT_TOKEN", "t",
                "UPDRAFT_ROLLOUT_URL", "https://rollout.example"), "https://updraft.example/", null, null,
                "https://telemetry.example", null);

        assertThat(fromOption.release()).isEqualTo("https://updraft.example");
        assertThat(fromOption.rollout()).isEqualTo("https://updraft.example"); // --url beats a service's env
        assertThat(fromOption.telemetry()).isEqualTo("https://telemetry.example"); // its own option beats --url

        Endpoints fromEnv = Endpoints.resolve(root, Map.of("UPDRAFT_TOKEN", "t", "UPDRAFT_URL", "https://one.example",
                "UPDRAFT_RELEASE_URL", "https://release.example"), null, null, null, null, null);

        assertThat(fromEnv.release()).isEqualTo("https://release.example"); // its own env beats UPDRAFT_URL
        assertThat(fromEnv.rollout()).isEqualTo("https://one.example");
        assertThat(fromEnv.telemetry()).isEqualTo("https://one.example");
    }
}
