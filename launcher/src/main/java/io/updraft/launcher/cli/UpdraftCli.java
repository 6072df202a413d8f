package io.updraft.launcher.cli;

import io.updraft.launcher.UpdraftApi;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code updraft} command line for CI pipelines and operators: releases, rollouts, devices, over the management
 * APIs. Human output by default, {@code --output json} for scripts. Exit codes: 0 success, 1 an API or I/O error,
 * 64 a usage error; {@code rollout watch} adds {@link WatchVerdict}'s codes.
 */
@Command(name = "updraft", mixinStandardHelpOptions = true, version = "updraft 0.1.0", scope = ScopeType.INHERIT,
        exitCodeOnInvalidInput = 64, exitCodeOnExecutionException = 1,
        subcommands = { ReleaseCommands.class, RolloutCommands.class, DeviceCommands.class,
                CommandLine.HelpCommand.class },
        description = "Publish releases, run and watch rollouts, list devices (token: UPDRAFT_TOKEN).")
public final class UpdraftCli {
    /** How results are printed. */
    public enum Output {
        human, json, id
    }

    @Option(names = "--output", scope = ScopeType.INHERIT, defaultValue = "human",
            description = "human (default), json (the API's documents) or id (ids only, one per line)")
    Output output;
    @Option(names = "--release-url", scope = ScopeType.INHERIT,
            description = "release-service URL (env UPDRAFT_RELEASE_URL; default: ./updraft up's, else http://localhost:8081)")
    String releaseUrl;
    @Option(names = "--rollout-url", scope = ScopeType.INHERIT,
            description = "rollout-service URL (env UPDRAFT_ROLLOUT_URL; default: ./updraft up's, else http://localhost:8082)")
    String rolloutUrl;
    @Option(names = "--telemetry-url", scope = ScopeType.INHERIT,
            description = "telemetry-service URL (env UPDRAFT_TELEMETRY_URL; default: ./updraft up's, else http://localhost:8084)")
    String telemetryUrl;

    /** Exit code of a usage error (sysexits EX_USAGE), kept apart from rollout watch's 2-5. */
    static final int USAGE = 64;

    private final Path root;
    private final Map<String, String> env;
    private UpdraftApi api;

    private UpdraftCli(Path root, Map<String, String> env) {
        this.root = root;
        this.env = Map.copyOf(env);
    }

    /** {@code java -jar launcher/target/updraft-cli.jar <command>}: the CLI alone, for CI runners. */
    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("updraft.root", ".")).toAbsolutePath().normalize();
        System.exit(execute(root, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                args));
    }

    /**
     * Runs one command line in-process.
     *
     * @param root the repository root, where {@code ./updraft up} keeps {@code .updraft/local}
     * @param env the environment (UPDRAFT_TOKEN, UPDRAFT_*_URL)
     */
    public static int execute(Path root, Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new UpdraftCli(root, env));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            CommandLine line = exception.getCommandLine();
            line.getErr().println("error: " + exception.getMessage());
            line.usage(line.getErr());
            line.getErr().flush();
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            line.getErr().println("error: " + exception.getMessage());
            line.getErr().flush();
            return 1;
        });
        int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    /** The APIs, with URLs and token resolved once. */
    synchronized UpdraftApi api() {
        if (api == null) {
            Endpoints endpoints = Endpoints.resolve(root, env, releaseUrl, rolloutUrl, telemetryUrl);
            api = new UpdraftApi(endpoints.release(), endpoints.rollout(), endpoints.telemetry(), endpoints.token());
        }
        return api;
    }

    /** A path given on the command line, relative to where {@code ./updraft} was called (it changes directory). */
    static Path userPath(Path path) {
        String caller = System.getProperty("updraft.cwd");
        return caller == null || path.isAbsolute() ? path : Path.of(caller).resolve(path);
    }

    Printer printer(CommandLine.Model.CommandSpec spec) {
        return new Printer(spec.commandLine().getOut(), output);
    }

    static UpdraftCli of(CommandLine.Model.CommandSpec spec) {
        return (UpdraftCli) spec.root().userObject();
    }
}
