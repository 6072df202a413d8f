package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.launcher.cli.StubApi.Answer;
import io.updraft.launcher.cli.StubApi.Run;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --output} and {@code --token} mean the same wherever they stand on the line. */
class GlobalOptionsTest {
    private static final String RELEASE = "5a0e2a43-4a55-4c0e-8f44-8c7a8d5a1b22";
    private static final String CREATED = "{\"id\":\"9d1f0f6e-1111-4222-8333-944455556666\",\"name\":\"x\",\"waves\":[]}";

    @TempDir
    Path root;
    private final StubApi stub = StubApi.started().on("/api/v1/rollouts", new Answer(201, CREATED, java.util.Map.of()));

    @AfterEach
    void stop() {
        stub.close();
    }

    @ParameterizedTest
    @ValueSource(strings = { "--output id rollout create --release R", "rollout create --release R --output id",
            "rollout --output id create --release R", "--output=id rollout create --release R",
            "rollout create --output=id --release R" })
    void givenOutputIdAnywhereOnTheLine_whenCreatingARollout_thenOnlyItsIdIsPrinted(String line) {
        Run run = stub.cli(root, line.replace("R", RELEASE).split(" "));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("9d1f0f6e-1111-4222-8333-944455556666" + System.lineSeparator());
    }

    @Test
    void givenNoOutputOption_whenCreatingARollout_thenTheHumanLine() {
        Run run = stub.cli(root, "rollout", "create", "--release", RELEASE);

        assertThat(run.out()).startsWith("created rollout 9d1f0f6e-1111-4222-8333-944455556666 \"x\"");
    }

    @ParameterizedTest
    @ValueSource(strings = { "--token T1 rollout create --release R", "rollout create --release R --token T1",
            "rollout --token=T1 create --release R" })
    void givenATokenAnywhereOnTheLine_whenCalling_thenItIsTheBearerInsteadOfUpdraftToken(String line) {
        Run run = stub.cli(root, line.replace("R", RELEASE).split(" "));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(stub.requests()).extracting(StubApi.Request::authorization).containsOnly("Bearer T1");
    }

    @Test
    void givenNoTokenOption_whenCalling_thenUpdraftTokenIsTheBearer() {
        stub.cli(root, "rollout", "create", "--release", RELEASE);

        assertThat(stub.requests()).extracting(StubApi.Request::authorization).isEqualTo(List.of("Bearer stub-token"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "--url U rollout create --release R", "rollout create --release R --url U",
            "rollout --url=U create --release R --output id" })
    void givenOneOriginAnywhereOnTheLine_whenCalling_thenEveryApiIsCalledThere(String line) {
        // the environment names no service URL: only --url can lead the CLI to the stub
        Run run = StubApi.run(root, Map.of("UPDRAFT_TOKEN", "stub-token"),
                line.replace("U", stub.url()).replace("R", RELEASE).split(" "));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(stub.requests()).isNotEmpty();
    }
}
