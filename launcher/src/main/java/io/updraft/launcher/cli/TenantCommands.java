package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.launcher.UpdraftApi;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The tenant registry of release-service ({@code /api/v1/tenants}, ADR 0021), for a platform administrator: list,
 * show, create, change quotas. Every other token is refused by the service (403); the CLI says which token it sent.
 */
@Command(name = "tenants", description = "Tenants and their quotas (a platform-admin token; ./updraft token"
        + " --platform-admin locally).")
final class TenantCommands {
    /** The subcommands, in the order help lists them (UpdraftCli builds the tree: only the one a call needs). */
    static final List<Class<?>> SUBCOMMANDS = List.of(ListTenants.class, ShowTenant.class, CreateTenant.class,
            Quotas.class);

    private static final List<String> HEADER = List.of("ID", "NAME", "DEVICES", "ARTIFACT BYTES",
            "ROLLOUTS IN FLIGHT", "COMMANDS/S", "VERSION");

    /** The four quotas: the option's word, the API's field, and whether it counts bytes. */
    enum Quota {
        DEVICES("devices", "maxDevices"),
        ARTIFACT_BYTES("artifact-bytes", "maxArtifactBytes"),
        ROLLOUTS_IN_FLIGHT("rollouts-in-flight", "maxRolloutsInFlight"),
        COMMANDS_PER_SECOND("commands-per-second", "maxCommandsPerSecond");

        final String word;
        final String field;

        Quota(String word, String field) {
            this.word = word;
            this.field = field;
        }

        static List<Quota> named(String word) {
            String name = word.strip().toLowerCase(Locale.ROOT);
            if (name.equals("all")) {
                return List.of(values());
            }
            for (Quota quota : values()) {
                if (quota.word.equals(name) || ("max-" + quota.word).equals(name)) {
                    return List.of(quota);
                }
            }
            throw new UpdraftCli.UsageException("--unlimited " + word + ": not a quota (devices, artifact-bytes,"
                    + " rollouts-in-flight, commands-per-second, or all)");
        }
    }

    /** The quota options {@code create} and {@code quotas} share. */
    static final class QuotaOptions {
        @Option(names = "--max-devices", paramLabel = "N", description = "devices the tenant may register")
        Long devices;
        @Option(names = "--max-artifact-bytes", paramLabel = "SIZE", description = "bytes of artifacts the tenant"
                + " may store: a number of bytes or with a unit, KB/MB/GB/TB (powers of 1000) or KiB/MiB/GiB/TiB"
                + " (powers of 1024), e.g. 5GB")
        String artifactBytes;
        @Option(names = "--max-rollouts-in-flight", paramLabel = "N", description = "rollouts running at once")
        Long rolloutsInFlight;
        @Option(names = "--max-commands-per-second", paramLabel = "N", description = "commands sent to devices a"
                + " second")
        Long commandsPerSecond;

        /** The quotas given, by field; none given: empty. */
        Map<Quota, Long> given() {
            Map<Quota, Long> given = new LinkedHashMap<>();
            put(given, Quota.DEVICES, devices);
            put(given, Quota.ARTIFACT_BYTES, artifactBytes == null ? null : bytes(artifactBytes));
            put(given, Quota.ROLLOUTS_IN_FLIGHT, rolloutsInFlight);
            put(given, Quota.COMMANDS_PER_SECOND, commandsPerSecond);
            return given;
        }

        private static void put(Map<Quota, Long> given, Quota quota, Long value) {
            if (value == null) {
                return;
            }
            if (value < 0) {
                throw new UpdraftCli.UsageException("--max-" + quota.word + " " + value + ": a quota is 0 or more"
                        + " (--unlimited " + quota.word + " lifts it)");
            }
            given.put(quota, value);
        }
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(?:([kmgt])(i)?b|b)?", Pattern.CASE_INSENSITIVE);

    /** {@code 5GB} = 5·10⁹, {@code 5GiB} = 5·2³⁰, {@code 123} = 123 bytes. */
    static long bytes(String size) {
        Matcher m = SIZE.matcher(size.strip());
        if (!m.matches()) {
            throw new UpdraftCli.UsageException("--max-artifact-bytes " + size + ": a number of bytes, or with KB, MB,"
                    + " GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024)");
        }
        BigInteger value = new BigInteger(m.group(1));
        if (m.group(2) != null) {
            int power = "kmgt".indexOf(Character.toLowerCase(m.group(2).charAt(0))) + 1;
            value = value.multiply(BigInteger.valueOf(m.group(3) == null ? 1000 : 1024).pow(power));
        }
        if (value.bitLength() > 63) {
            throw new UpdraftCli.UsageException("--max-artifact-bytes " + size + ": more than 2^63-1 bytes");
        }
        return value.longValue();
    }

    @Command(name = "list", description = "Tenants in id order, with their quotas (GET /api/v1/tenants).")
    static final class ListTenants implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--limit", defaultValue = "100", description = "tenants per page (default 100, at most 500)")
        int limit;
        @Mixin
        CursorOptions paging;

        @Override
        public Integer call() {
            UpdraftCli cli = UpdraftCli.of(spec);
            UpdraftApi api = cli.api();
            return explained(cli, () -> paging.print(cli.printer(spec), HEADER, TenantCommands::row,
                    cursor -> api.tenantsPage("limit=" + limit + (cursor == null ? ""
                            : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))), "tenants"));
        }
    }

    @Command(name = "show", description = "One tenant: name, quotas, version (GET /api/v1/tenants/{id}).")
    static final class ShowTenant implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "TENANT", description = "tenant id (any case)")
        String id;

        @Override
        public Integer call() {
            UpdraftCli cli = UpdraftCli.of(spec);
            JsonNode tenant = explained(cli, () -> cli.api().tenant(id));
            print(cli.printer(spec), tenant);
            return 0;
        }
    }

    @Command(name = "create", description = "A new tenant; quotas not given are unlimited (POST /api/v1/tenants).")
    static final class CreateTenant implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "TENANT", description = "tenant id: 1-40 of A-Z a-z 0-9 _ -, starting with a letter"
                + " or digit (kept upper-case)")
        String id;
        @Option(names = "--name", paramLabel = "DISPLAY NAME", description = "display name (default: the id)")
        String name;
        @Mixin
        QuotaOptions quotas;

        @Override
        public Integer call() {
            ObjectNode body = UpdraftApi.object().put("id", id);
            if (name != null) {
                body.put("displayName", name);
            }
            Map<Quota, Long> given = quotas.given();
            if (!given.isEmpty()) {
                ObjectNode fields = body.putObject("quotas");
                given.forEach((quota, value) -> fields.put(quota.field, value));
            }
            UpdraftCli cli = UpdraftCli.of(spec);
            JsonNode tenant = explained(cli, () -> cli.api().createTenant(body));
            print(cli.printer(spec), tenant);
            return 0;
        }
    }

    @Command(name = "quotas", description = "Changes the quotas named, keeps the others (PATCH"
            + " /api/v1/tenants/{id}/quotas): --max-devices 100 --unlimited artifact-bytes")
    static final class Quotas implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "TENANT", description = "tenant id (any case)")
        String id;
        @Mixin
        QuotaOptions quotas;
        @Option(names = "--unlimited", paramLabel = "QUOTA", description = "lift a quota: devices, artifact-bytes,"
                + " rollouts-in-flight, commands-per-second, or all (repeat for several)")
        List<String> unlimited = new ArrayList<>();

        @Override
        public Integer call() {
            Map<Quota, Long> given = quotas.given();
            ObjectNode patch = UpdraftApi.object();
            given.forEach((quota, value) -> patch.put(quota.field, value));
            for (String word : unlimited) {
                for (Quota quota : Quota.named(word)) {
                    if (given.containsKey(quota)) {
                        throw new UpdraftCli.UsageException("--max-" + quota.word + " and --unlimited " + word
                                + " contradict each other");
                    }
                    patch.putNull(quota.field);
                }
            }
            if (patch.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "name at least one quota to change"
                        + " (--max-devices, --max-artifact-bytes, --max-rollouts-in-flight, --max-commands-per-second,"
                        + " --unlimited QUOTA)");
            }
            UpdraftCli cli = UpdraftCli.of(spec);
            JsonNode tenant = explained(cli, () -> cli.api().patchTenantQuotas(id, patch));
            print(cli.printer(spec), tenant);
            return 0;
        }
    }

    /**
     * Runs a call to the registry; a 401 or 403 is explained with the token the CLI sent (whose it is, which roles),
     * since "forbidden" alone does not say that a tenant's publisher token was used where a platform administrator's
     * is needed.
     */
    static <T> T explained(UpdraftCli cli, Supplier<T> call) {
        try {
            return call.get();
        } catch (UpdraftApi.ApiException e) {
            if (e.status() != 401 && e.status() != 403) {
                throw e;
            }
            TokenClaims claims = TokenClaims.of(cli.token());
            String who = claims == null ? "the token sent is no JWT"
                    : "the token sent (" + cli.tokenSource() + ") is " + (claims.subject() == null ? "nobody's"
                    : claims.subject() + "'s") + ", tenant " + claims.tenantShown() + ", roles "
                    + (claims.roles().isEmpty() ? "none" : String.join(", ", claims.roles()));
            throw new UpdraftApi.ApiException(e.getMessage() + System.lineSeparator() + "  tenants are managed with a"
                    + " platform-admin token (the role platform-admin in its groups claim); " + who
                    + System.lineSeparator() + "  locally: --token $(./updraft token --platform-admin)", e.status(), e);
        }
    }

    private static void print(Printer printer, JsonNode tenant) {
        if (printer.json()) {
            printer.json(tenant);
            return;
        }
        printer.line("tenant   " + tenant.path("id").asText() + "  (" + tenant.path("displayName").asText() + ")");
        printer.line("version  " + tenant.path("version").asText() + "   created " + Printer.text(tenant, "createdAt")
                + "   updated " + Printer.text(tenant, "updatedAt"));
        JsonNode quotas = tenant.path("quotas");
        printer.line("quotas   devices " + quota(quotas, Quota.DEVICES) + "   artifact bytes "
                + quota(quotas, Quota.ARTIFACT_BYTES) + "   rollouts in flight " + quota(quotas, Quota.ROLLOUTS_IN_FLIGHT)
                + "   commands/s " + quota(quotas, Quota.COMMANDS_PER_SECOND));
    }

    private static List<String> row(JsonNode tenant) {
        JsonNode quotas = tenant.path("quotas");
        return List.of(tenant.path("id").asText(), tenant.path("displayName").asText(), quota(quotas, Quota.DEVICES),
                quota(quotas, Quota.ARTIFACT_BYTES), quota(quotas, Quota.ROLLOUTS_IN_FLIGHT),
                quota(quotas, Quota.COMMANDS_PER_SECOND), tenant.path("version").asText());
    }

    /** A quota as people read it: {@code unlimited}, {@code 100}, bytes with their decimal size ({@code 5.0 GB}). */
    static String quota(JsonNode quotas, Quota quota) {
        JsonNode value = quotas.path(quota.field);
        if (!value.canConvertToLong()) {
            return "unlimited";
        }
        long n = value.asLong();
        if (quota != Quota.ARTIFACT_BYTES || n < 1000) {
            return String.valueOf(n);
        }
        String[] units = { "KB", "MB", "GB", "TB", "PB", "EB" };
        double scaled = n;
        int unit = -1;
        while (scaled >= 1000 && unit < units.length - 1) {
            scaled /= 1000;
            unit++;
        }
        return n + " (" + String.format(Printer.NUMBERS, "%.1f", scaled) + " " + units[unit] + ")";
    }
}
