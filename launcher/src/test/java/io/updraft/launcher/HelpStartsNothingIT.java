package io.updraft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.launcher.cli.UpdraftCliTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --help} on every command — each of the CLI's, found by walking picocli's command tree, and each of the
 * launcher's — exits 0, prints the usage, prints nothing on stderr (where picocli warns about a description it cannot
 * format) and starts nothing: no HTTP call reaches the services' URLs, no process is started.
 */
class HelpStartsNothingIT {
    private static ServerSocketChannel services;

    @TempDir
    Path root;

    @BeforeAll
    static void listen() throws IOException {
        services = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        services.configureBlocking(false);
    }

    @AfterAll
    static void close() throws IOException {
        services.close();
    }

    static Stream<List<String>> cliCommands() {
        return UpdraftCliTree.commandPaths().stream();
    }

    static Stream<String> launcherCommands() {
        return Stream.of("demo", "up", "down", "status", "token", "build", "bench", "help");
    }

    @Test
    void theTreeHoldsEveryCommandAndSubcommand() {
        // a floor, not a list: the walk must find the nested commands, not only the root
        assertThat(cliCommands().map(path -> String.join(" ", path)))
                .contains("", "release publish", "rollout create", "rollout watch", "rollout history", "devices list",
                        "devices history", "help")
                .hasSizeGreaterThan(20);
    }

    @ParameterizedTest(name = "updraft {0} --help")
    @MethodSource("cliCommands")
    void givenAnyCliCommand_whenAskedForHelp_thenUsageOnStdoutNothingOnStderrAndNothingCalled(List<String> command)
            throws Exception {
        Set<Long> children = children();
        List<String> args = new ArrayList<>(command);
        args.add("--help");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String url = "http://127.0.0.1:" + ((InetSocketAddress) services.getLocalAddress()).getPort();
        Map<String, String> env = Map.of("UPDRAFT_TOKEN", "t", "UPDRAFT_RELEASE_URL", url, "UPDRAFT_ROLLOUT_URL", url,
                "UPDRAFT_TELEMETRY_URL", url);

        // picocli's own warnings (a '%' it cannot format in a description) go to System.err, not to the command's err
        ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
        int status = withSystemErr(systemErr, () -> io.updraft.launcher.cli.UpdraftCli.execute(root, env,
                new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new)));

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Usage: updraft" + (command.isEmpty() || command.equals(List.of("help"))
                ? "" : " " + String.join(" ", command)));
        assertThat(err.toString()).isEmpty();
        assertThat(systemErr.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(services.accept()).as("a connection to the services' URL").isNull();
        assertThat(children()).isEqualTo(children);
    }

    @ParameterizedTest(name = "./updraft {0} --help")
    @MethodSource("launcherCommands")
    void givenALauncherCommand_whenAskedForHelp_thenUsageAndNothingStarted(String command) throws Exception {
        Set<Long> children = children();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int status;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            status = withSystemErr(err, () -> Updraft.run(root, new String[] { command, "--help" },
                    new PrintStream(out, true, StandardCharsets.UTF_8)));
        } finally {
            System.setOut(stdout);
        }

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: ./updraft <command>")
                .contains("  " + command);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(root.resolve(".updraft")).doesNotExist();
        assertThat(services.accept()).isNull();
        assertThat(children()).isEqualTo(children);
    }

    interface Run {
        int run() throws Exception;
    }

    private static int withSystemErr(ByteArrayOutputStream err, Run run) throws Exception {
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return run.run();
        } finally {
            System.setErr(stderr);
        }
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /**
     * The root script runs {@code build} and {@code bench} itself: their {@code --help} is answered there, before it
     * would build or start anything (the script says "building Updraft" on stderr when it builds).
     */
    @ParameterizedTest
    @MethodSource("scriptCommands")
    void theScriptsOwnCommandsAnswerHelpWithoutBuildingOrRunning(List<String> args) throws Exception {
        Path script = Path.of(System.getProperty("updraft.root", "..")).resolve("updraft").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor()).as(out + err).isZero();
        assertThat(out).startsWith("Usage: ./updraft " + args.get(0));
        assertThat(err).isEmpty();
    }

    static Stream<List<String>> scriptCommands() {
        return Stream.of(List.of("build", "--help"), List.of("bench", "-h"), List.of("bench", "--quick", "--help"));
    }
}
