package io.updraft.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScenarioFileTest {

    @Test
    void readsEveryPartOfAYamlScenario() throws Exception {
        FleetScenario scenario = ScenarioFile.load(Path.of("scenarios/messy-fleet.yaml"));

        assertThat(scenario.deviceCount()).isEqualTo(1000);
        assertThat(scenario.hardware()).extracting(FleetScenario.HardwareMix::model)
                .containsExactly("gw-100", "gw-200", "gw-300");
        assertThat(scenario.installDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(scenario.installDurationMax()).isEqualTo(Duration.ofSeconds(8));
        assertThat(scenario.cutDownloadShare()).isEqualTo(0.1);
        assertThat(scenario.failures()).extracting(FleetScenario.FailureRule::mode).containsExactly(
                FleetScenario.FailureMode.CRASH_LOOP, FleetScenario.FailureMode.INSTALL_FAILURE,
                FleetScenario.FailureMode.SILENT_DEATH);
        assertThat(scenario.offline()).hasSize(2);
        assertThat(scenario.offline().get(0).until()).as("offline all along").isNull();
        assertThat(scenario.offline().get(1).until()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void fillsDefaultsForWhatAMinimalJsonScenarioLeavesOut() {
        FleetScenario scenario = ScenarioFile.parseJson("""
                {"gatewayUrl":"http://localhost:8083","gatewayToken":"t","idPrefix":"x",
                 "hardware":[{"model":"m","revision":"1","count":3}]}""");
        assertThat(scenario.tenant()).isEqualTo("DEFAULT");
        assertThat(scenario.initialVersion()).isEqualTo("1.0.0");
        assertThat(scenario.failures()).isEmpty();
        assertThat(scenario.offline()).isEmpty();
        assertThat(scenario.installDurationMax()).isEqualTo(scenario.installDuration());
    }

    @Test
    void readsTheDeltaClientSettingsAndRefusesBadOnes() {
        FleetScenario scenario = ScenarioFile.parseYaml("""
                gatewayUrl: http://x
                hardware: [{model: m, revision: "1", count: 10}]
                deltaShare: 0.3
                deltaMaxRanges: 50
                images: {"1.0.0": /var/images/v1.img}
                """);
        assertThat(scenario.deltaShare()).isEqualTo(0.3);
        assertThat(scenario.deltaMaxRanges()).isEqualTo(50);
        assertThat(scenario.images()).containsEntry("1.0.0", "/var/images/v1.img");
        // spread over device numbers like failures: about 30 of 100, and about 3 of any 10 in a row
        assertThat(java.util.stream.IntStream.range(0, 100).filter(scenario::deltaClient).count()).isBetween(29L, 31L);
        assertThat(java.util.stream.IntStream.range(0, 10).filter(scenario::deltaClient).count()).isBetween(2L, 4L);
        FleetScenario none = ScenarioFile.parseYaml("{gatewayUrl: http://x, hardware: [{model: m, revision: '1', count: 1}]}");
        assertThat(none.deltaShare()).isZero();
        assertThat(none.deltaMaxRanges()).isEqualTo(ZchunkDeltaClient.DEFAULT_MAX_RANGES);
        assertThatThrownBy(() -> ScenarioFile.parseYaml("""
                gatewayUrl: http://x
                hardware: [{model: m, revision: "1", count: 1}]
                deltaShare: 1.5
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deltaShare must be within 0..1");
        assertThatThrownBy(() -> ScenarioFile.parseYaml("""
                gatewayUrl: http://x
                hardware: [{model: m, revision: "1", count: 1}]
                deltaMaxRanges: 0
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deltaMaxRanges must be at least 1");
    }

    @Test
    void refusesBadValuesAndTyposWithTheFieldThatIsWrong() {
        assertThatThrownBy(() -> ScenarioFile.parseYaml("""
                gatewayUrl: http://x
                hardware: [{model: m, revision: "1", count: 1}]
                failures: [{model: m, version: "1", share: 1.5}]
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failures")
                .hasMessageContaining("share must be within 0..1");
        assertThatThrownBy(() -> ScenarioFile.parseYaml("""
                gatewayUrl: http://x
                hardware: [{model: m, revision: "1", count: 1}]
                installDurationMaximum: PT1S
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("installDurationMaximum");
        assertThatThrownBy(() -> ScenarioFile.parseYaml("gatewayUrl: http://x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one hardware entry");
        assertThatThrownBy(() -> ScenarioFile.parseYaml("hardware: [{model: m, revision: '1', count: 1}]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gatewayUrl");
        assertThatThrownBy(() -> ScenarioFile.parseYaml("gatewayUrl: [")).isInstanceOf(IllegalArgumentException.class);
    }
}
