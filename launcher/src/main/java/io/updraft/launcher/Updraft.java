package io.updraft.launcher;

import io.updraft.launcher.cli.UpdraftCli;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ./updraft demo | up | down | status | token}, and the CLI's {@code release | rollout | devices | tenants |
 * whoami}.
 */
public final class Updraft {
    /** Short intervals so the demo's fleet reacts within seconds (production defaults are minutes). */
    static final Map<String, String> DEMO_TUNING = Map.of(
            "updraft.gateway.polling.interval", "PT1S",
            "updraft.gateway.polling.active-interval", "PT1S",
            "updraft.telemetry.window", "2s");
    static final Map<String, String> LOCAL_TUNING = Map.of(
            "updraft.gateway.polling.interval", "PT10S",
            "updraft.gateway.polling.active-interval", "PT5S");

    private Updraft() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("updraft.root", ".")).toAbsolutePath().normalize();
        System.exit(run(root, args, System.out));
    }

    /** One launcher command line; {@code help} and every {@code --help} print to {@code out} and start nothing. */
    static int run(Path root, String[] args, PrintStream out) throws Exception {
        String command = commandOf(args);
        if (LAUNCHER_COMMANDS.contains(command) && asksForHelp(args)) {
            return help(out, 0); // "./updraft up --help" explains, it does not start the stack
        }
        return switch (command) {
            case "help", "--help", "-h" -> help(out, 0);
            case "demo" -> demo(root);
            case "up" -> up(root);
            case "down" -> down(root);
            case "status" -> status(root);
            case "token" -> token(root, args, out, System.err);
            case "containers" -> containers(root, args);
            case "release", "rollout", "devices", "tenants", "whoami" -> UpdraftCli.executeOnConsole(root, args);
            default -> help(out, 2); // build and bench are the script's; an unknown command is a usage error
        };
    }

    /** The commands the launcher (or its script: build, bench) runs itself; the CLI's have their own --help. */
    static final Set<String> LAUNCHER_COMMANDS = Set.of("demo", "up", "down", "status", "token", "build", "bench",
            "containers", "help");
    /** The CLI's global options that take a value; they may stand before the command ("--output id rollout …"). */
    private static final Set<String> GLOBAL_OPTIONS = Set.of("--output", "--url", "--release-url", "--rollout-url",
            "--telemetry-url", "--token");

    /** The command word: the first argument that is not a global option or its value; "help" if there is none. */
    static String commandOf(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (GLOBAL_OPTIONS.contains(arg)) {
                i++; // its value
            } else if (!(arg.contains("=") && GLOBAL_OPTIONS.contains(arg.substring(0, arg.indexOf('='))))) {
                return arg;
            }
        }
        return "help";
    }

    static boolean asksForHelp(String[] args) {
        return Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
    }

    static int demo(Path root) throws Exception {
        Path home = root.resolve(".updraft/demo");
        deleteTree(home);
        System.out.println("Updraft demo: starting Kafka (KRaft) + PostgreSQL + release-service, rollout-service, "
                + "device-gateway, telemetry-service as separate processes…");
        long started = System.nanoTime();
        try (LocalStack stack = LocalStack.start(home, root, true, false, DEMO_TUNING)) {
            System.out.printf("stack ready in %.1f s: kafka %s, postgres port %d%n", (System.nanoTime() - started) / 1e9,
                    stack.infrastructure().kafkaBootstrap(), stack.infrastructure().postgresPort());
            stack.services().values().forEach(s -> System.out.printf("  %-18s %s (log %s)%n", s.name(), s.url(),
                    root.relativize(s.log())));
            DemoStory.Outcome outcome = new DemoStory(stack, System.out, "demo", "gw-firmware", 25).run();
            outcome.fleet().close();
            if (outcome.passed()) {
                System.out.println("Demo passed: both waves of 1.1.0, then 1.2.0 rolled back on "
                        + DemoStory.BAD_MODEL + " only.");
                return 0;
            }
            System.out.println("Demo FAILED: " + outcome.failures());
            System.out.println("Service logs are in " + root.relativize(home.resolve("logs")));
            return 1;
        }
    }

    /** Where {@code ./updraft up} keeps its keys, logs, data and {@code run.properties}. */
    static final String UP_HOME = ".updraft/local";

    static int up(Path root) throws Exception {
        Path home = root.resolve(UP_HOME);
        if (running(home.resolve("run.properties")).isPresent()) {
            System.out.println("already up:");
            return status(root);
        }
        startUp(home, root, false, true);
        // the processes outlive this launcher; ./updraft down stops them
        return status(root);
    }

    /**
     * What {@code ./updraft up} starts — Kafka, PostgreSQL, the four services, then the console in front of them once
     * they are ready — and records in {@code home/run.properties} for {@code status}, {@code down} and the CLI.
     *
     * @param tiedToThisJvm false for {@code up} (the stack outlives the launcher); true in a test
     * @param fixedPorts 8080..8084 for {@code up}; free ports in a test
     */
    public static LocalStack startUp(Path home, Path root, boolean tiedToThisJvm, boolean fixedPorts)
            throws IOException {
        LocalStack stack = LocalStack.start(home, root, tiedToThisJvm, fixedPorts, LOCAL_TUNING);
        try {
            ServiceProcess console = stack.startConsole();
            Properties state = new Properties();
            state.setProperty("pid.stack", String.valueOf(stack.infrastructure().pid()));
            state.setProperty("kafka", stack.infrastructure().kafkaBootstrap());
            state.setProperty("postgres", "127.0.0.1:" + stack.infrastructure().postgresPort());
            stack.services().values().forEach(s -> {
                state.setProperty("pid." + s.name(), String.valueOf(s.pid()));
                state.setProperty("url." + s.name(), s.url());
            });
            state.setProperty("pid." + LocalStack.CONSOLE, String.valueOf(console.pid()));
            state.setProperty("url." + LocalStack.CONSOLE, "http://localhost:" + console.port() + "/");
            state.setProperty("gateway-token", stack.gatewayToken());
            try (OutputStream out = Files.newOutputStream(home.resolve("run.properties"))) {
                state.store(out, "./updraft up");
            }
            return stack;
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    static int status(Path root) throws IOException {
        return status(root, root.resolve(UP_HOME), System.out);
    }

    /** Prints what {@link #startUp} started under {@code home} (log paths relative to {@code root}); 1 if nothing. */
    public static int status(Path root, Path home, PrintStream out) throws IOException {
        Optional<Properties> state = running(home.resolve("run.properties"));
        if (state.isEmpty()) {
            out.println("not running (./updraft up starts it)");
            return 1;
        }
        Properties s = state.get();
        Path logs = root.relativize(home.resolve("logs"));
        out.println("kafka            " + s.getProperty("kafka"));
        out.println("postgres         " + s.getProperty("postgres") + " (user postgres, one database per service)");
        for (String name : LocalStack.SERVICES) {
            out.printf("%-16s %s   (/q/health, /q/metrics, /q/openapi, log %s)%n", name, s.getProperty("url." + name),
                    logs.resolve(name + ".log"));
        }
        out.println("DDI base         " + s.getProperty("url.device-gateway")
                + "/DEFAULT/controller/v1/{controllerId}  (Authorization: GatewayToken " + s.getProperty("gateway-token")
                + ")");
        out.println("management token ./updraft token   (Authorization: Bearer …)");
        if (alive(s.getProperty("pid." + LocalStack.CONSOLE))) {
            out.println("console: " + s.getProperty("url." + LocalStack.CONSOLE)
                    + " — sign in with a token from ./updraft token   (log " + logs.resolve("console.log") + ")");
        } else {
            out.println("console: not running (log " + logs.resolve("console.log") + "; ./updraft down, then up)");
        }
        return 0;
    }

    static int down(Path root) throws IOException, InterruptedException {
        Path run = root.resolve(UP_HOME).resolve("run.properties");
        Optional<Properties> state = running(run);
        if (state.isEmpty()) {
            System.out.println("nothing to stop");
            return 0;
        }
        // the console first: it holds connections to the services
        List<String> order = Stream.of(Stream.of("pid." + LocalStack.CONSOLE),
                LocalStack.SERVICES.stream().map(s -> "pid." + s), Stream.of("pid.stack")).flatMap(s -> s).toList();
        for (String key : order) {
            String pid = state.get().getProperty(key);
            Optional<ProcessHandle> process = pid == null ? Optional.empty() : ProcessHandle.of(Long.parseLong(pid));
            if (process.isPresent()) {
                process.get().destroy();
                try {
                    process.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    process.get().destroyForcibly();
                }
                System.out.println("stopped " + key.substring(4));
            }
        }
        Files.deleteIfExists(run);
        return 0;
    }

    /** {@code ./updraft containers [down]}: the stack as containers, labelled so that {@code down} finds them. */
    static int containers(Path root, String[] args) throws Exception {
        io.updraft.launcher.containers.Docker docker = new io.updraft.launcher.containers.Docker();
        Path home = root.resolve(".updraft/containers");
        Path run = home.resolve("run.properties");
        boolean down = Arrays.asList(args).contains("down");
        if (!docker.available()) {
            System.out.println("no Docker engine answers ('docker info' failed): start one, or run ./updraft up "
                    + "(the same stack as local processes)");
            return down ? 0 : 1;
        }
        if (down) {
            List<String> removed = io.updraft.launcher.containers.ContainerStack.removeAll(docker, CONTAINERS_ID);
            removed.forEach(name -> System.out.println("removed " + name));
            System.out.println(removed.isEmpty() ? "nothing to stop" : "network and volumes removed too");
            Files.deleteIfExists(run);
            return 0;
        }
        boolean running = !docker.run("ps", "-q", "--filter", "label=" + io.updraft.launcher.containers.ContainerStack.LABEL
                + "=" + CONTAINERS_ID).isBlank();
        if (running && Files.exists(run)) {
            System.out.println("already up:");
            return printContainers(run);
        }
        ContainerImages.ensure(root, System.out);
        Files.createDirectories(home);
        var options = new io.updraft.launcher.containers.ContainerStack.Options(home, CONTAINERS_ID, true, LOCAL_TUNING,
                ContainerImages.version(root), java.time.Duration.ofMinutes(5), System.out::println);
        var stack = io.updraft.launcher.containers.ContainerStack.start(docker, options);
        Properties state = new Properties();
        state.setProperty("kafka", stack.kafkaBootstrap());
        state.setProperty("postgres", "127.0.0.1:" + stack.postgresPort());
        LocalStack.SERVICES.forEach(s -> state.setProperty("url." + s, stack.url(s)));
        state.setProperty("gateway-token", stack.gatewayToken());
        state.setProperty("admin-token", stack.adminToken());
        try (OutputStream out = Files.newOutputStream(run)) {
            state.store(out, "./updraft containers");
        }
        // the containers outlive this launcher; ./updraft containers down removes them
        return printContainers(run);
    }

    /** The label value of {@code ./updraft containers}' stack. */
    static final String CONTAINERS_ID = "updraft-local";

    private static int printContainers(Path run) throws IOException {
        Properties s = new Properties();
        try (InputStream in = Files.newInputStream(run)) {
            s.load(in);
        }
        System.out.println("kafka            " + s.getProperty("kafka") + "   (container " + CONTAINERS_ID + "-kafka)");
        System.out.println("postgres         " + s.getProperty("postgres") + " (user postgres, one database per service)");
        for (String name : LocalStack.SERVICES) {
            System.out.printf("%-16s %s   (/q/health, /q/metrics, /q/openapi; docker logs %s-%s)%n", name,
                    s.getProperty("url." + name), CONTAINERS_ID, name);
        }
        System.out.println("DDI base         " + s.getProperty("url.device-gateway")
                + "/DEFAULT/controller/v1/{controllerId}  (Authorization: GatewayToken " + s.getProperty("gateway-token")
                + ")");
        System.out.println("management token " + s.getProperty("admin-token"));
        System.out.println("stop with        ./updraft containers down");
        return 0;
    }

    /** A tenant id as the services take it (events' TenantIds; ADR 0021), compared without case. */
    private static final java.util.regex.Pattern TENANT_ID = java.util.regex.Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9_-]{0,39}");

    /**
     * {@code ./updraft token [--tenant T | --platform-admin]}: a token of the local key on stdout (for
     * {@code --token $(…)} or the console), whose it is on stderr. Without an option: every role, no tenant claim —
     * the default tenant's in single-tenant mode, what {@code up} runs. {@code --tenant T}: the same roles for tenant T
     * (a multi-tenant installation's; single mode refuses it, 403). {@code --platform-admin}: the role that manages
     * tenants and sees no tenant's data.
     */
    static int token(Path root, String[] args, PrintStream out, PrintStream err) {
        String tenant = null;
        boolean platformAdmin = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--platform-admin")) {
                platformAdmin = true;
            } else if (arg.equals("--tenant") && i + 1 < args.length) {
                tenant = args[++i];
            } else if (arg.startsWith("--tenant=")) {
                tenant = arg.substring("--tenant=".length());
            } else {
                err.println("./updraft token: unknown option " + arg + " (--tenant T, --platform-admin)");
                return 2;
            }
        }
        if (tenant != null && (platformAdmin || !TENANT_ID.matcher(tenant).matches())) {
            err.println(platformAdmin ? "./updraft token: --tenant or --platform-admin, not both (a platform"
                    + " administrator has no tenant)" : "./updraft token: --tenant " + tenant + " is not a tenant id"
                    + " (1-40 of A-Z a-z 0-9 _ -, starting with a letter or digit)");
            return 2;
        }
        Path keys = root.resolve(UP_HOME).resolve("keys");
        io.updraft.devstack.DevTokens tokens = io.updraft.devstack.DevKeys.in(keys).tokens();
        if (platformAdmin) {
            out.println(tokens.platformAdmin());
            err.println("platform-admin: manages tenants (./updraft tenants …), sees no tenant's data");
        } else if (tenant != null) {
            String canonical = tenant.toUpperCase(java.util.Locale.ROOT);
            out.println(tokens.mintForTenant(canonical, "updraft-dev", java.time.Duration.ofDays(1), "publisher",
                    "operator", "viewer"));
            err.println("tenant " + canonical + ", roles publisher, operator, viewer (a multi-tenant installation's"
                    + " token; single-tenant mode answers it 403)");
        } else {
            out.println(tokens.admin());
        }
        return 0;
    }

    static int help(PrintStream out, int status) {
        out.println("""
                usage: ./updraft <command>
                  demo     start everything, run a 50-device fleet through a rollout and a cohort rollback, stop
                  up       start Kafka, PostgreSQL, the four services and the console in the background;
                           print their URLs (the console: http://localhost:8080/, pages and APIs on one origin)
                  down     stop what 'up' started
                  status   print the URLs of what 'up' started, the console's too
                  token    print a management API bearer token (roles publisher, operator, viewer);
                           --tenant T: the same for tenant T (multi-tenant mode), --platform-admin: the
                           role that manages tenants
                  containers       the same stack as containers (needs Docker): builds the images, starts
                                   Kafka, PostgreSQL and the four service images as deploy/ runs them, on
                                   ports 8081–8084; prints their URLs. 'containers down' removes them all
                  build    rebuild the services, the console and the CLI (./mvnw -DskipTests package)
                  help     this text (so does --help after any command)

                  release  publish | list | show | promote | revoke | publish-draft   (./updraft release --help)
                  rollout  create | preview | list | show | pause | resume | abort | approve | watch | history
                           (./updraft rollout --help; a rollout is an id or its name)
                  devices  list [--all] | history DEVICE   (./updraft devices --help)
                  tenants  list | show | create | quotas   (platform-admin; ./updraft tenants --help)
                  whoami   the token the CLI sends: subject, tenant, roles, expiry
                  bench    the benchmark suite (./updraft bench --quick; benchmarks/README.md)
                  global options, before or after the command: --output human|json|id, --token JWT (default:
                  UPDRAFT_TOKEN, else minted from ./updraft up's local key), --url (one origin for every API),
                  --release-url, --rollout-url, --telemetry-url""");
        return status;
    }

    /** The state file of a running {@code up}, if its stack process is still alive. */
    private static Optional<Properties> running(Path run) throws IOException {
        if (!Files.exists(run)) {
            return Optional.empty();
        }
        Properties state = new Properties();
        try (InputStream in = Files.newInputStream(run)) {
            state.load(in);
        }
        return alive(state.getProperty("pid.stack")) ? Optional.of(state) : Optional.empty();
    }

    private static boolean alive(String pid) {
        return pid != null && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
