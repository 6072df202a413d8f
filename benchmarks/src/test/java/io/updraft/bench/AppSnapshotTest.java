package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppSnapshotTest {
    @TempDir
    Path dir;

    @Test
    void givenServicesCopiedOnce_whenALaterBenchmarkNeedsSomeOfThem_thenItGetsThatCopyAndNothingIsCopiedAgain()
            throws Exception {
        Path repo = dir.resolve("repo");
        for (String service : List.of("snap-a", "snap-b", "snap-c")) {
            Path app = Files.createDirectories(repo.resolve(service).resolve("target/quarkus-app/lib"));
            Files.writeString(app.resolveSibling("quarkus-run.jar"), service + " build 1");
            Files.writeString(app.resolve("dep.jar"), "dep");
        }

        Path first = AppSnapshot.of(repo, dir.resolve("one/apps"), List.of("snap-a", "snap-b"));
        // a rebuild during the run: the run keeps the jars it started with
        Files.writeString(repo.resolve("snap-a/target/quarkus-app/quarkus-run.jar"), "snap-a build 2");
        Path second = AppSnapshot.of(repo, dir.resolve("two/apps"), List.of("snap-a"));
        Path third = AppSnapshot.of(repo, dir.resolve("three/apps"), List.of("snap-b", "snap-c"));

        assertThat(first).isEqualTo(dir.resolve("one/apps"));
        assertThat(Files.readString(first.resolve("snap-a/target/quarkus-app/lib/dep.jar"))).isEqualTo("dep");
        assertThat(second).as("snap-a is copied already").isEqualTo(first);
        assertThat(Files.readString(second.resolve("snap-a/target/quarkus-app/quarkus-run.jar")))
                .isEqualTo("snap-a build 1");
        assertThat(dir.resolve("two/apps")).doesNotExist();
        assertThat(third).as("snap-c is not copied yet: both into a new copy").isEqualTo(dir.resolve("three/apps"));
        assertThat(third.resolve("snap-b/target/quarkus-app/quarkus-run.jar")).exists();
        assertThat(third.resolve("snap-c/target/quarkus-app/quarkus-run.jar")).exists();
    }
}
