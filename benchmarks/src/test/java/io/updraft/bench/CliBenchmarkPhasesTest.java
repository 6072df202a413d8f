package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI benchmark reads a call's phases from the line CliTiming prints, and what is left of the wall time. */
class CliBenchmarkPhasesTest {
    @Test
    void givenATimingLineAmongTheOutput_whenRead_thenEachPhaseAndTheExitRemainderComeOut() {
        String printed = "cli-bench  RUNNING  release 1.2.0\nupdraft-cli-timing: start=51.5 model=80.0 parse=4.5 "
                + "client=30.0 request=20.0 json=3.0 print=2.0 total=191.0\n";

        Map<String, Double> phases = CliBenchmark.phases(printed, 200);

        assertThat(List.copyOf(phases.keySet()))
                .containsExactly("start", "model", "parse", "client", "request", "json", "print", "exit");
        assertThat(phases.get("model")).isEqualTo(80.0);
        assertThat(phases.get("exit")).isEqualTo(9.0);
    }

    @Test
    void givenNoTimingLine_whenRead_thenTheBenchmarkFailsInsteadOfReportingNothing() {
        assertThatThrownBy(() -> CliBenchmark.phases("cli-bench  RUNNING\n", 200))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no updraft-cli-timing line");
    }
}
