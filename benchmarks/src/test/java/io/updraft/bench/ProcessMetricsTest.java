package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessMetricsTest {
    private static final String METRICS = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.097152E7
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.0E7
            jvm_memory_used_bytes_other{area="heap"} 5.0
            jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 1.073741824E9
            updraft_rollout_commands_dispatched_total 1000000.0
            """;

    @Test
    void sumsTheSeriesWhoseLabelsMatch() {
        assertThat(ProcessMetrics.sum(METRICS, "jvm_memory_used_bytes", Map.of("area", "heap")))
                .hasValue(3.145728E7);
        assertThat(ProcessMetrics.sum(METRICS, "jvm_memory_used_bytes", Map.of())).hasValue(3.145728E7 + 9.0E7);
        assertThat(ProcessMetrics.sum(METRICS, "updraft_rollout_commands_dispatched_total", Map.of()))
                .hasValue(1_000_000);
    }

    @Test
    void anUnknownMetricOrLabelIsEmptyNotZero() {
        assertThat(ProcessMetrics.sum(METRICS, "jvm_memory", Map.of())).isEmpty();
        assertThat(ProcessMetrics.sum(METRICS, "jvm_memory_used_bytes", Map.of("area", "offheap"))).isEmpty();
    }

    @Test
    void readsKilobyteFieldsOfProcStatusAsBytes() {
        String status = "Name:\tjava\nVmPeak:\t 5000000 kB\nVmHWM:\t  412340 kB\nVmRSS:\t  400000 kB\nThreads:\t42\n";

        assertThat(ProcessMetrics.statusBytes(status, "VmHWM")).hasValue(412_340 * 1024.0);
        assertThat(ProcessMetrics.statusBytes(status, "VmRSS")).hasValue(400_000 * 1024.0);
        assertThat(ProcessMetrics.statusBytes(status, "VmSwap")).isEmpty();
    }

    @Test
    void thisProcessHasAPeakResidentSet() {
        assertThat(ProcessMetrics.procStatusBytes(ProcessHandle.current().pid(), "VmHWM")).isPresent();
        assertThat(ProcessMetrics.procStatusBytes(ProcessHandle.current().pid(), "VmHWM").getAsDouble())
                .isGreaterThan(1024 * 1024);
    }

    @Test
    void readsOwnAndChildrenCpuTicksOfProcPidStatEvenWithParenthesesInTheName() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
        String stat = "4242 (postgres: a (b) c) S 1 4242 4242 0 -1 4194560 500 0 0 0 120 30 700 45 20 0 1 0 99\n";

        ProcessMetrics.CpuTicks ticks = ProcessMetrics.statCpuTicks(stat);

        assertThat(ticks.own()).isEqualTo(150);
        assertThat(ticks.children()).isEqualTo(745);
    }

    @Test
    void readsTheMachinesBusyAndTotalTicksIdleAndIowaitNotBusy() {
        String procStat = "cpu  100 5 50 800 40 3 2 0 0 0\ncpu0 50 2 25 400 20 1 1 0 0 0\nintr 1 2 3\n";

        assertThat(ProcessMetrics.machineTicks(procStat)).containsExactly(160, 1_000);
    }
}
