package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./updraft release list} runs the CLI from its own jar with the class-data-sharing archive the build made
 * (CliTraining): the CLI's and Jackson's classes come mapped from the archive's top layer, the launcher's
 * main class is not loaded at all, and the call answers what the API said. An archive older than its jar (a rebuild
 * without it) is ignored by the JVM, and the call still works.
 */
class CliArchiveIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static HttpServer api;

    @TempDir
    Path temp;

    @BeforeAll
    static void serve() throws IOException {
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/api/v1/releases", exchange -> {
            byte[] body = """
                    [{"id":"r-7","name":"archive-check-fw","version":"7.0.1","state":"STABLE",
                      "createdAt":"2026-12-06T00:00:00Z"}]""".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        api.createContext("/api/v1/rollouts/", exchange -> {
            byte[] body = """
                    {"id":"3f2c6a1e-0000-4000-8000-000000000007","name":"archive-check","releaseId":"r-7",
                     "version":"7.0.1","state":"RUNNING","currentWave":1,"createdAt":"2026-12-06T00:00:00Z",
                     "waves":[{"wave":1,"state":"RUNNING","devices":10,"succeeded":4,"failed":1,"running":5}],
                     "cohorts":[{"cohort":"gw-100:1.0","devices":10,"state":"ACTIVE"}]}""".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        api.start();
    }

    @AfterAll
    static void stop() {
        api.stop(0);
    }

    @Test
    void givenTheBuiltArchive_whenTheScriptRunsACliCommand_thenItsClassesComeFromTheArchive() throws Exception {
        assertThat(ROOT.resolve("launcher/target/updraft-cli.jsa")).isRegularFile();
        Path classes = temp.resolve("classes.log");
        Run run = run(List.of(ROOT.resolve("updraft").toString(), "release", "list"), classes);

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("archive-check-fw", "7.0.1");
        String loaded = Files.readString(classes);
        assertThat(loaded)
                .contains("io.updraft.launcher.cli.UpdraftCli source: shared objects file (top)")
                .contains("io.updraft.launcher.cli.ReleaseCommands$ListReleases source: shared objects file (top)")
                .contains("com.fasterxml.jackson.databind.JsonNode source: shared objects file (top)")
                // the answer is read by jackson-core's parser into nodes (JsonTrees): no ObjectMapper, whose
                // configuration loads the calendar and the locale data at every call
                .doesNotContain("com.fasterxml.jackson.databind.ObjectMapper ")
                // picocli ships as Java 5 class files (version 49), which CDS never archives: the build rewrites them
                // to version 52 (ArchivableClassFiles) so that they come from the archive too
                .contains("picocli.CommandLine source: shared objects file (top)")
                .contains("picocli.CommandLine$Model$CommandSpec source: shared objects file (top)")
                // a read goes over HttpURLConnection: the JDK HttpClient (SSL context, a selector thread that holds
                // System.exit back 300 ms) is never built
                .doesNotContain("jdk.internal.net.http.HttpClientImpl ")
                .doesNotContain("io.updraft.launcher.Updraft ");
        assertNoAnnotationModel(loaded);
        // classes made at run time, which no archive holds: one method-handle form (string concatenation compiled as
        // invokedynamic spun ~28 more of them at every call)
        assertThat(definedAtRunTime(loaded)).as(loaded).isLessThanOrEqualTo(1);
    }

    /**
     * release list and rollout show run on models built by hand (ReadCommandModels): picocli reflects over no field
     * (TypedMember) and the JDK makes no annotation proxy (7 a call from the annotations, none archivable).
     */
    private static void assertNoAnnotationModel(String classLog) {
        assertThat(classLog).doesNotContain("picocli.CommandLine$Model$TypedMember ")
                .doesNotContain("source: __dynamic_proxy__");
    }

    @Test
    void givenTheBuiltArchive_whenTheScriptShowsARollout_thenNoLocaleDataIsLoadedForItsNumbers() throws Exception {
        Path classes = temp.resolve("status.log");
        Run run = run(List.of(ROOT.resolve("updraft").toString(), "rollout", "status",
                "3f2c6a1e-0000-4000-8000-000000000007"), classes);

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("archive-check  RUNNING", "wave 1/1", "ok 4  failed 1");
        String loaded = Files.readString(classes);
        // Formatter asks the locale data for the digits of every locale but Locale.US (Printer.NUMBERS)
        assertThat(loaded).doesNotContain("java.text.DecimalFormatSymbols ")
                .doesNotContain("com.fasterxml.jackson.databind.ObjectMapper ");
        assertNoAnnotationModel(loaded);
        assertThat(definedAtRunTime(loaded)).as(loaded).isLessThanOrEqualTo(1);
    }

    private static long definedAtRunTime(String classLog) {
        return classLog.lines().filter(line -> line.contains("source: __JVM_LookupDefineClass__")).count();
    }

    @Test
    void givenUpdraftCliTiming_whenTheScriptRunsACliCommand_thenItPrintsWhereTheTimeWent() throws Exception {
        Run timed = run(List.of(ROOT.resolve("updraft").toString(), "release", "list"), null,
                java.util.Map.of("UPDRAFT_CLI_TIMING", "1"));
        Run plain = run(List.of(ROOT.resolve("updraft").toString(), "release", "list"), null);

        assertThat(timed.exit).as(timed.output).isZero();
        assertThat(timed.output).contains("archive-check-fw")
                .containsPattern("(?m)^updraft-cli-timing: start=\\d+\\.\\d model=\\d+\\.\\d parse=\\d+\\.\\d "
                        + "client=\\d+\\.\\d request=\\d+\\.\\d json=\\d+\\.\\d print=\\d+\\.\\d total=\\d+\\.\\d$");
        // start: from the script's first line (-Dupdraft.t0) to main, a positive span well under the whole call
        java.util.regex.Matcher start = java.util.regex.Pattern.compile("start=(\\d+\\.\\d)").matcher(timed.output);
        assertThat(start.find()).isTrue();
        assertThat(Double.parseDouble(start.group(1))).isPositive().isLessThan(60_000);
        assertThat(plain.output).contains("archive-check-fw").doesNotContain("updraft-cli-timing");
    }

    /**
     * The JVM maps the archives where they were dumped (ArchiveRelocationMode=0): by default JDK 17.0.15 maps them at
     * another address and rewrites every pointer in them before main, ~50-70 ms a call. And C1 compiles only what
     * runs 20 times the usual threshold (a read call's code runs in the interpreter, which costs less than compiling it).
     */
    @Test
    void givenTheBuiltArchive_whenTheScriptRunsACliCommand_thenTheArchiveIsMappedWithoutRelocation() throws Exception {
        Path cds = temp.resolve("cds.log");
        Run run = run(List.of(ROOT.resolve("updraft").toString(), "release", "list"), null, java.util.Map.of(
                "JAVA_TOOL_OPTIONS", "-Xlog:cds=info:file=" + cds + " -XX:+PrintFlagsFinal"));

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("archive-check-fw")
                .containsPattern("(?m)^\\s*double CompileThresholdScaling\\s+= 20\\.0+ ")
                .containsPattern("(?m)^\\s*intx ArchiveRelocationMode\\s+= 0 ");
        assertThat(Files.readString(cds)).contains("Mapped dynamic region #0")
                .doesNotContain("ArchiveRelocationMode == 1");
    }

    @Test
    void givenAnArchiveOlderThanItsJar_whenTheCliRuns_thenTheJvmIgnoresItAndTheCallStillWorks() throws Exception {
        Path jar = Files.copy(ROOT.resolve("launcher/target/updraft-cli.jar"), temp.resolve("updraft-cli.jar"));
        Path archive = temp.resolve("updraft-cli.jsa");
        // an archive made for this jar path, then the jar rebuilt: same path, new modification time
        Run training = run(List.of(java(), "-XX:ArchiveClassesAtExit=" + archive, "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", jar.toString(), "io.updraft.launcher.cli.CliTraining"), null);
        assertThat(training.exit).as(training.output).isZero();
        assertThat(archive).isRegularFile();
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));

        Path classes = temp.resolve("stale.log");
        Run run = run(List.of(java(), "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", jar.toString(),
                "io.updraft.launcher.cli.UpdraftCli", "release", "list"), classes);

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("archive-check-fw").doesNotContain("warning");
        assertThat(Files.readString(classes))
                .doesNotContain("io.updraft.launcher.cli.UpdraftCli source: shared objects file")
                .contains("io.updraft.launcher.cli.UpdraftCli source: file:");
    }

    private record Run(int exit, String output) {
    }

    private Run run(List<String> command, Path classLog) throws IOException, InterruptedException {
        return run(command, classLog, java.util.Map.of());
    }

    private Run run(List<String> command, Path classLog, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile()).redirectErrorStream(true);
        builder.environment().remove("UPDRAFT_CLI_TIMING");
        builder.environment().putAll(env);
        builder.environment().put("UPDRAFT_TOKEN", "test.only.token");
        builder.environment().put("UPDRAFT_URL", "http://127.0.0.1:" + api.getAddress().getPort());
        builder.environment().put("TERM", "dumb");
        if (classLog != null) {
            builder.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog);
        } else if (!env.containsKey("JAVA_TOOL_OPTIONS")) {
            builder.environment().remove("JAVA_TOOL_OPTIONS");
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exited within 2 min").isTrue();
        return new Run(process.exitValue(), output);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
