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
@Command(name = "updraft", version = "updraft 0.1.0", scope = ScopeType.INHERIT,
        exitCodeOnInvalidInput = 64, exitCodeOnExecutionException = 1,
        subcommands = { ReleaseCommands.class, RolloutCommands.class, DeviceCommands.class,
                CommandLine.HelpCommand.class },
        description = "Publish releases, run and watch rollouts, list devices (token: UPDRAFT_TOKEN).")
public final class UpdraftCli {
    /** How results are printed. */
    public enum Output {
        human, json, id
    }

    // not mixinStandardHelpOptions: inherited, its --version clashes with the --version of release publish and
    // devices list, and picocli then leaves those commands without --help; commandLine() gives every command -h
    @Option(names = { "-h", "--help" }, usageHelp = true, description = "print this help and exit")
    boolean help;
    @Option(names = { "-V", "--version" }, versionHelp = true, scope = ScopeType.LOCAL,
            description = "print the CLI's version and exit")
    boolean versionHelp;
    @Option(names = "--output", scope = ScopeType.INHERIT, defaultValue = "human",
            description = "human (default), json (the API's documents) or id (ids only, one per line)")
    Output output;
    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "one origin serving every management API (env UPDRAFT_URL); a service's own --…-url wins")
    String url;
    @Option(names = "--release-url", scope = ScopeType.INHERIT,
            description = "release-service URL (env UPDRAFT_RELEASE_URL; default: ./updraft up's, else http://localhost:8081)")
    String releaseUrl;
    @Option(names = "--rollout-url", scope = ScopeType.INHERIT,
            description = "rollout-service URL (env UPDRAFT_ROLLOUT_URL; default: ./updraft up's, else http://localhost:8082)")
    String rolloutUrl;
    @Option(names = "--telemetry-url", scope = ScopeType.INHERIT,
            description = "telemetry-service URL (env UPDRAFT_TELEMETRY_URL; default: ./updraft up's, else http://localhost:8084)")
    String telemetryUrl;
    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "JWT",
            description = "bearer token for the APIs (overrides env UPDRAFT_TOKEN)")
    String token;

    /** Exit code of a usage error (sysexits EX_USAGE), kept apart from rollout watch's 2-5. */
    static final int USAGE = WatchVerdict.USAGE;

    private final Path root;
    private final Map<String, String> env;
    private final boolean terminal;
    private UpdraftApi api;

    private UpdraftCli(Path root, Map<String, String> env, boolean terminal) {
        this.root = root;
        this.env = Map.copyOf(env);
        this.terminal = terminal;
    }

    /** {@code java -jar launcher/target/updraft-cli.jar <command>}: the CLI alone, for CI runners. */
    public static void main(String[] args) {
        CliTiming.main();
        Path root = Path.of(System.getProperty("updraft.root", ".")).toAbsolutePath().normalize();
        int status = executeOnConsole(root, args);
        CliTiming.print(System.err);
        System.exit(status);
    }

    /** Runs one command line with this process's environment, stdout and stderr (the launcher's and the jar's). */
    public static int executeOnConsole(Path root, String... args) {
        Map<String, String> env = System.getenv();
        // System.console() is null when stdin or stdout is redirected: a CI log gets lines, never escape sequences
        boolean terminal = System.console() != null && !"dumb".equals(env.get("TERM"));
        return execute(root, env, new PrintWriter(System.out, true), new PrintWriter(System.err, true), terminal,
                args);
    }

    /**
     * Runs one command line in-process, its output not a terminal.
     *
     * @param root the repository root, where {@code ./updraft up} keeps {@code .updraft/local}
     * @param env the environment (UPDRAFT_TOKEN, UPDRAFT_*_URL)
     */
    public static int execute(Path root, Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        return execute(root, env, out, err, false, args);
    }

    /** @param terminal {@code out} is a terminal: {@code rollout watch} redraws its progress in place */
    static int execute(Path root, Map<String, String> env, PrintWriter out, PrintWriter err, boolean terminal,
            String... args) {
        CommandLine commandLine = commandLine(new UpdraftCli(root, env, terminal));
        commandLine.setOut(out);
        commandLine.setErr(err);
        CliTiming.mark("model");
        int status = commandLine.execute(args);
        out.flush();
        CliTiming.mark("print");
        err.flush();
        return status;
    }

    /** The whole command tree with its error handling; nothing runs until {@code execute}. */
    static CommandLine commandLine(UpdraftCli cli) {
        CommandLine commandLine = new CommandLine(cli);
        addHelpOption(commandLine);
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
            return exception instanceof UsageException ? USAGE : 1;
        });
        return commandLine;
    }

    private static void addHelpOption(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (sub.getCommandSpec().findOption("--help") == null) {
                sub.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("print this help and exit").build());
            }
            addHelpOption(sub);
        }
    }

    /** For tests and documentation checks: a CLI that resolves nothing until a command runs. */
    static UpdraftCli detached(Path root, Map<String, String> env) {
        return new UpdraftCli(root, env, false);
    }

    /** A command line that reads well but cannot be carried out (exit 64, no usage printed): an ambiguous name. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** The APIs, with URLs and token resolved once. */
    synchronized UpdraftApi api() {
        if (api == null) {
            CliTiming.mark("parse");
            Endpoints endpoints = Endpoints.resolve(root, env, url, releaseUrl, rolloutUrl, telemetryUrl, token);
            api = UpdraftApi.oneShot(endpoints.release(), endpoints.rollout(), endpoints.telemetry(), endpoints.token());
            CliTiming.mark("client");
        }
        return api;
    }

    /** A path given on the command line, relative to where {@code ./updraft} was called (it changes directory). */
    static Path userPath(Path path) {
        String caller = System.getProperty("updraft.cwd");
        return caller == null || path.isAbsolute() ? path : Path.of(caller).resolve(path);
    }

    /** Standard output is a terminal (and TERM is not dumb): progress may be redrawn in place. */
    boolean terminal() {
        return terminal;
    }

    /** The terminal's width (env COLUMNS, as shells export it), else 80. */
    int columns() {
        try {
            return Integer.parseInt(env.getOrDefault("COLUMNS", "80").strip());
        } catch (NumberFormatException notANumber) {
            return 80;
        }
    }

    Printer printer(CommandLine.Model.CommandSpec spec) {
        return new Printer(spec.commandLine().getOut(), output);
    }

    static UpdraftCli of(CommandLine.Model.CommandSpec spec) {
        return (UpdraftCli) spec.root().userObject();
    }
}
