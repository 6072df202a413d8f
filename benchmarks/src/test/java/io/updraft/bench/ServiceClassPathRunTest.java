package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceClassPathRunTest {
    @TempDir
    Path dir;

    @Test
    void theServicesJarComesFirstThenItsLibrariesThenTheBenchmarkClasses() throws Exception {
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(dir.resolve("quarkus-run.jar"), "");

        String[] entries = ServiceClassPathRun.classPath(dir).split(File.pathSeparator);

        assertThat(entries).hasSize(4);
        assertThat(entries[0]).isEqualTo(dir.resolve("app") + File.separator + "*");
        assertThat(entries[1]).isEqualTo(dir.resolve("lib/main") + File.separator + "*");
        assertThat(entries[2]).isEqualTo(dir.resolve("lib/boot") + File.separator + "*");
        assertThat(Path.of(entries[3]).resolve("io/updraft/bench/ServiceClassPathRun.class")).exists();
    }

    @Test
    void anUnbuiltServiceIsNamed() {
        assertThatThrownBy(() -> ServiceClassPathRun.classPath(dir)).hasMessageContaining("quarkus-run.jar is missing");
    }

    @Test
    void aChildThatDidNotFinishFailsWithItsFirstException() {
        ServiceClassPathRun.Output output = new ServiceClassPathRun.Output("TopologyBenchmark", """
                plain KafkaConsumer (read + parse):       99,861 events/s
                Exception in thread "main" java.lang.ExceptionInInitializerError
                Caused by: java.lang.IllegalStateException: -Dbench.kafka missing
                """, false, dir.resolve("topology.log"));

        assertThatThrownBy(output::requireFinished).hasMessageContaining("exited before it finished: Exception in "
                + "thread \"main\" java.lang.ExceptionInInitializerError");
    }

    @Test
    void aChildThatPrintedEverythingPasses() {
        new ServiceClassPathRun.Output("x", "figures\n" + ServiceClassPathRun.DONE + "\n", false, dir).requireFinished();
    }
}
