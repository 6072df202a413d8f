package io.updraft.bench;

import io.updraft.devstack.JavaProcess;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a class-level benchmark — one that calls a service's classes itself ({@code telemetry.TopologyBenchmark},
 * {@code rollout.TargetSelectionBenchmark}) — in a JVM of its own on the service's packaged class path: a copy of
 * {@code <service>/target/quarkus-app} ({@code app/} first, then {@code lib/main}, {@code lib/boot}), and this
 * module's classes after it. The suite's JVM never holds service classes, and the benchmarks module's own Quarkus
 * application (the bare endpoint) never sees a service's {@code application.properties} or beans
 * (docs/decisions/0011-benchmarks-module.md). The child prints its figures; {@link #DONE} is its last line.
 */
final class ServiceClassPathRun {
    /** The line a class-level benchmark prints when it has printed everything. */
    static final String DONE = "benchmark finished";
    /** The heap and collector the Surefire test JVM gave these benchmarks when they lived in src/test. */
    static final List<String> JVM = List.of("-Xmx768m", "-XX:+UseSerialGC");

    private ServiceClassPathRun() {
    }

    /** The service's packaged class path, then the benchmark classes. */
    static String classPath(Path quarkusApp) {
        if (!Files.exists(quarkusApp.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(quarkusApp.resolve("quarkus-run.jar") + " is missing: build first");
        }
        return String.join(File.pathSeparator, quarkusApp.resolve("app") + File.separator + "*",
                quarkusApp.resolve("lib/main") + File.separator + "*",
                quarkusApp.resolve("lib/boot") + File.separator + "*", benchmarkClasses());
    }

    private static String benchmarkClasses() {
        try {
            return Path.of(ServiceClassPathRun.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code -Dbench.child-jvm-flags="…"}: more options for the child, after {@link #JVM} (a later {@code -Xmx} wins),
     * e.g. {@code -XX:StartFlightRecording=filename=/tmp/topology.jfr,settings=profile} for a profile.
     */
    static List<String> extraFlags() {
        String flags = System.getProperty("bench.child-jvm-flags", "").strip();
        return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
    }

    /** What the child printed, and whether it finished within its time. */
    record Output(String name, String text, boolean timedOut, Path log) {
        /** Fails unless the child printed everything: call after taking the figures it did print. */
        void requireFinished() {
            if (timedOut) {
                throw new IllegalStateException(name + " did not finish in time; see " + log);
            }
            if (!text.contains(DONE)) {
                throw new IllegalStateException(name + " exited before it finished: " + firstProblem(text) + "; see "
                        + log);
            }
        }
    }

    /** Runs {@code mainClass} with {@code properties} until it exits (killed after {@code timeout}). */
    static Output run(String name, Path quarkusApp, String mainClass, Map<String, String> properties, Path log,
            Duration timeout, Consumer<String> say) throws IOException {
        Files.deleteIfExists(log);
        // the service's log levels first (ServiceLogLevels), then mainClass
        JavaProcess.Builder builder = JavaProcess.mainClass(name, classPath(quarkusApp),
                        ServiceLogLevels.class.getName())
                .arguments(List.of(mainClass))
                .jvmOptions(JVM).jvmOptions(extraFlags())
                // the services' SLF4J binding logs through JBoss LogManager: installed as the JDK's, as Quarkus does
                .systemProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager")
                .systemProperties(properties).log(log);
        say.accept("running " + name + " in its own JVM on " + quarkusApp + "'s class path (output: " + log + ")");
        JavaProcess child = builder.start();
        boolean timedOut = false;
        try {
            child.awaitReady(timeout, () -> !child.isAlive());
        } catch (IllegalStateException notDone) { // killed after the timeout
            timedOut = true;
        } finally {
            child.stop(Duration.ofSeconds(10));
        }
        return new Output(name, Files.readString(log, StandardCharsets.UTF_8), timedOut, log);
    }

    /** The first exception line (what went wrong), else the last line. */
    static String firstProblem(String output) {
        String[] lines = output.strip().split("\n");
        for (String line : lines) {
            if (line.startsWith("Exception in thread") || line.startsWith("Caused by:")
                    || line.matches("^[\\w.$]+(Exception|Error)(: .*)?$")) {
                return line.strip();
            }
        }
        return lines.length == 0 || lines[0].isBlank() ? "(no output)" : lines[lines.length - 1].strip();
    }
}
