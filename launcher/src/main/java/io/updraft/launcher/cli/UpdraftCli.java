package io.updraft.launcher.cli;

import io.updraft.launcher.UpdraftApi;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        description = "Publish releases, run and watch rollouts, list devices, manage tenants (token: UPDRAFT_TOKEN;"
                + " updraft whoami shows whose it is).")
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
    @Option(names = "--gateway-url", scope = ScopeType.INHERIT,
            description = "device-gateway URL (env UPDRAFT_GATEWAY_URL; default: ./updraft up's, else http://localhost:8083)")
    String gatewayUrl;
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
        CommandLine commandLine = commandLine(new UpdraftCli(root, env, terminal), args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        CliTiming.mark("model");
        int status = commandLine.execute(args);
        out.flush();
        CliTiming.mark("print");
        err.flush();
        return status;
    }

    /** The subcommands of the root, each with its own, in the order help lists them. */
    private static final Map<Class<?>, List<Class<?>>> GROUPS = groups();

    private static Map<Class<?>, List<Class<?>>> groups() {
        Map<Class<?>, List<Class<?>>> groups = new LinkedHashMap<>();
        groups.put(ReleaseCommands.class, ReleaseCommands.SUBCOMMANDS);
        groups.put(RolloutCommands.class, RolloutCommands.SUBCOMMANDS);
        groups.put(DeviceCommands.class, DeviceCommands.SUBCOMMANDS);
        groups.put(TenantCommands.class, TenantCommands.SUBCOMMANDS);
        return groups;
    }

    /**
     * The words that name each group and its commands (names and aliases, as their {@code @Command} says): routing a
     * call reads no annotation — each annotation type read costs a proxy class made at run time.
     * {@code UpdraftCliTreeTest} checks this against the annotations, for every command.
     */
    static final Map<String, Map<String, Class<?>>> WORDS = words();

    private static Map<String, Map<String, Class<?>>> words() {
        Map<String, Map<String, Class<?>>> words = new LinkedHashMap<>();
        words.put("release", commands("publish", ReleaseCommands.Publish.class, "list",
                ReleaseCommands.ListReleases.class, "show", ReleaseCommands.Show.class, "promote",
                ReleaseCommands.Promote.class, "revoke", ReleaseCommands.Revoke.class, "publish-draft",
                ReleaseCommands.PublishDraft.class, "delta-link", ReleaseCommands.DeltaLink.class));
        words.put("rollout", commands("create", RolloutCommands.Create.class, "preview", RolloutCommands.Preview.class,
                "list", RolloutCommands.ListRollouts.class, "show", RolloutCommands.Show.class, "status",
                RolloutCommands.Show.class, "pause", RolloutCommands.Pause.class, "resume", RolloutCommands.Resume.class,
                "abort", RolloutCommands.Abort.class, "approve", RolloutCommands.Approve.class, "watch",
                RolloutWatch.class, "history", RolloutCommands.RolloutHistory.class));
        words.put("devices", commands("list", DeviceCommands.ListDevices.class, "history",
                DeviceCommands.DeviceHistory.class));
        words.put("tenants", commands("list", TenantCommands.ListTenants.class, "show", TenantCommands.ShowTenant.class,
                "create", TenantCommands.CreateTenant.class, "quotas", TenantCommands.Quotas.class));
        return words;
    }

    private static Map<String, Class<?>> commands(Object... wordsAndClasses) {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        for (int i = 0; i < wordsAndClasses.length; i += 2) {
            commands.put((String) wordsAndClasses[i], (Class<?>) wordsAndClasses[i + 1]);
        }
        return commands;
    }

    /** The group class of each group word. */
    private static final Map<String, Class<?>> GROUP_WORDS = Map.of("release", ReleaseCommands.class, "rollout",
            RolloutCommands.class, "devices", DeviceCommands.class, "tenants", TenantCommands.class);

    /** Global options that take a value (their {@code --name=value} form too), accepted before a command word. */
    private static final Set<String> VALUED_GLOBALS = Set.of("--output", "--url", "--release-url", "--rollout-url",
            "--telemetry-url", "--gateway-url", "--token");

    /** The whole command tree with its error handling; nothing runs until {@code execute}. */
    static CommandLine commandLine(UpdraftCli cli) {
        return configure(tree(cli, null, null));
    }

    /**
     * The tree {@code args} need: for {@code [global options] GROUP COMMAND …} (release list, rollout status …) the
     * root with that group holding that one command — picocli reflects over one command's options instead of
     * ~40 commands' (half the CLI's own start-up); anything else (help, a group alone, an unknown word, an
     * {@code @file}) gets the whole tree. The one command is built exactly as in the whole tree
     * ({@code UpdraftCliTreeTest} compares every command's usage and options).
     */
    static CommandLine commandLine(UpdraftCli cli, String... args) {
        Class<?>[] route = route(args);
        if (route == null) {
            return configure(tree(cli, null, null));
        }
        // the two reads scripts and operators call most: a model built without annotations (ReadCommandModels)
        if (route[1] == ReleaseCommands.ListReleases.class) {
            return configure(ReadCommandModels.releaseList(cli));
        }
        if (route[1] == RolloutCommands.Show.class) {
            return configure(ReadCommandModels.rolloutShow(cli));
        }
        return configure(tree(cli, route[0], route[1]));
    }

    /** The partial tree of one command as its annotations define it (ReadCommandModelsTest compares). */
    static CommandLine annotatedTree(UpdraftCli cli, Class<?> group, Class<?> command) {
        return configure(tree(cli, group, command));
    }

    /** {@code {group class, command class}} of a call the partial tree serves, else {@code null}. */
    static Class<?>[] route(String... args) {
        String group = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (VALUED_GLOBALS.contains(arg)) {
                // picocli refuses a command's name as an option's value: only the whole tree refuses them all
                if (i + 1 < args.length && isCommandWord(args[i + 1])) {
                    return null;
                }
                i++;
                continue;
            }
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0 && VALUED_GLOBALS.contains(arg.substring(0, equals))) {
                continue;
            }
            if (group == null) {
                group = arg;
                if (!WORDS.containsKey(group)) {
                    return null;
                }
            } else {
                Class<?> command = WORDS.get(group).get(arg);
                return command == null ? null : new Class<?>[] { GROUP_WORDS.get(group), command };
            }
        }
        return null;
    }

    private static boolean isCommandWord(String word) {
        if (word.equals("help") || word.equals("whoami") || WORDS.containsKey(word)) {
            return true;
        }
        for (Map<String, Class<?>> commands : WORDS.values()) {
            if (commands.containsKey(word)) {
                return true;
            }
        }
        return false;
    }

    /** The root, and every group and command (or only {@code onlyGroup} and its {@code onlyCommand}). */
    private static CommandLine tree(UpdraftCli cli, Class<?> onlyGroup, Class<?> onlyCommand) {
        CommandLine root = new CommandLine(cli);
        for (Map.Entry<Class<?>, List<Class<?>>> group : GROUPS.entrySet()) {
            if (onlyGroup != null && onlyGroup != group.getKey()) {
                continue;
            }
            CommandLine groupLine = new CommandLine(group.getKey());
            for (Class<?> command : group.getValue()) {
                if (onlyCommand == null || onlyCommand == command) {
                    groupLine.addSubcommand(command);
                }
            }
            root.addSubcommand(groupLine);
        }
        if (onlyGroup == null) {
            root.addSubcommand(WhoAmI.class);
            root.addSubcommand(CommandLine.HelpCommand.class);
        }
        return root;
    }

    private static CommandLine configure(CommandLine commandLine) {
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

    /** The bearer token the commands send ({@link Endpoints}: --token, UPDRAFT_TOKEN, the local key). */
    String token() {
        return Endpoints.token(root, token, env);
    }

    /** Where {@link #token()} comes from, in words. */
    String tokenSource() {
        return Endpoints.tokenSource(root, token, env);
    }

    /** device-gateway's management URL, resolved as the other services' ({@link Endpoints#gateway}). */
    String gatewayUrl() {
        return Endpoints.gateway(root, env, url, gatewayUrl);
    }

    /** The origin devices reach the gateway at, or {@code null} when the CLI cannot know it. */
    String deviceUrl(String option) {
        return Endpoints.device(root, env, option);
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
