package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without kubectl the manifest tests fail, saying why — they never skip. */
class KustomizeTest {

    @Test
    void aMachineWithoutKubectlFailsWithAClearMessage() {
        assertThatThrownBy(() -> Kustomize.kubectl(Map.of("PATH", "/nonexistent/bin")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("kubectl is not installed")
                .hasMessageContaining("kubectl kustomize");
    }

    @Test
    void kubectlIsFoundOnThePath() {
        assertThat(Kustomize.kubectl()).endsWith("kubectl");
    }
}
