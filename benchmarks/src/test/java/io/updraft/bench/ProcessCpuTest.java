package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCpuTest {
    @Test
    void readsTheCpuFieldsAfterACommandNameWithSpacesAndParentheses() {
        // proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime
        // cstime …
        String line = "4242 (postgres: a (b) c) S 4100 4100 4100 0 -1 4194560 120 0 0 0 731 266 55 12 20 0 1 0 "
                + "12345 200000000 3000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        ProcessCpu.Stat stat = ProcessCpu.parseStat(line);

        assertThat(stat).isEqualTo(new ProcessCpu.Stat(4100, 731, 266, 55, 12));
    }

    @Test
    void aClusterIsItsPostmasterWithItsReapedAndRunningChildren(@TempDir Path dataDir) throws Exception {
        assertThat(ProcessCpu.postgresSeconds(dataDir)).as("no postmaster.pid").isEmpty();
        // this JVM standing in for a postmaster: its own ticks at least (its children, if any, on top)
        long pid = ProcessHandle.current().pid();
        Files.writeString(dataDir.resolve("postmaster.pid"), pid + "\n" + dataDir + "\n");
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        ProcessCpu.Stat own = ProcessCpu.parseStat(stat);

        OptionalDouble seconds = ProcessCpu.postgresSeconds(dataDir);

        assertThat(seconds).isPresent();
        assertThat(seconds.getAsDouble()).isGreaterThanOrEqualTo(
                (own.utime() + own.stime() + own.cutime() + own.cstime()) / ProcessCpu.TICKS);
        Files.writeString(dataDir.resolve("postmaster.pid"), "999999999\n");
        assertThat(ProcessCpu.postgresSeconds(dataDir)).as("a postmaster that has gone").isEmpty();
    }

    @Test
    void snapshotsGiveTheCpuUsedBetweenThem() {
        double[] cpu = { 1.5 };
        Map<String, java.util.function.Supplier<OptionalDouble>> processes = new LinkedHashMap<>();
        processes.put("service", () -> OptionalDouble.of(cpu[0]));
        processes.put("gone", OptionalDouble::empty);
        ProcessCpu.Snapshot before = ProcessCpu.Snapshot.take(processes);
        cpu[0] = 4.0;

        Map<String, OptionalDouble> used = ProcessCpu.Snapshot.take(processes).since(before);

        assertThat(used.get("service")).hasValue(2.5);
        assertThat(used.get("gone")).isEmpty();
    }

    @Test
    void theTableHasSecondsAndMicrosPerCommandPerPeriodAndATotal() {
        Map<String, Map<String, OptionalDouble>> periods = new LinkedHashMap<>();
        Map<String, OptionalDouble> post = new LinkedHashMap<>();
        post.put("rollout-service", OptionalDouble.of(1.0));
        post.put("PostgreSQL (cluster)", OptionalDouble.of(3.0));
        Map<String, OptionalDouble> dispatch = new LinkedHashMap<>();
        dispatch.put("rollout-service", OptionalDouble.of(5.0));
        dispatch.put("PostgreSQL (cluster)", OptionalDouble.empty());
        periods.put("POST (4.00 s)", post);
        periods.put("dispatch (10.00 s)", dispatch);

        List<String> table = ProcessCpu.table(periods, 100_000);

        assertThat(table).hasSize(4);
        assertThat(table.get(0)).contains("POST (4.00 s)", "dispatch (10.00 s)");
        assertThat(table.get(1)).startsWith("rollout-service").contains("1.00 s", "10.00 µs/cmd", "5.00 s",
                "50.00 µs/cmd");
        assertThat(table.get(2)).startsWith("PostgreSQL (cluster)").contains("3.00 s", "30.00 µs/cmd",
                "not measured");
        assertThat(table.get(3)).startsWith("total").contains("4.00 s", "40.00 µs/cmd", "5.00 s", "50.00 µs/cmd");
    }
}
