package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.launcher.UpdraftApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "release", description = "Publish, list, show, promote and revoke releases.")
final class ReleaseCommands {
    /** The subcommands, in the order help lists them (UpdraftCli builds the tree: only the one a call needs). */
    static final List<Class<?>> SUBCOMMANDS = List.of(Publish.class, ListReleases.class, Show.class, Promote.class,
            Revoke.class, PublishDraft.class, DeltaLink.class);

    /** What release-service takes as an artifact's {@code role}. */
    static final List<String> ROLES = List.of("full", "delta");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private static final Pattern VERSION_SUFFIX = Pattern.compile("[-_]v?\\d+\\.\\d+\\.\\d+.*$");

    /** A release id, or {@code name@version}, looked up by name. */
    static String resolveId(UpdraftApi api, String reference) {
        int at = reference.lastIndexOf('@');
        if (at <= 0) {
            return reference;
        }
        String name = reference.substring(0, at);
        String version = reference.substring(at + 1);
        String query = "limit=500&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        String cursor = null;
        do { // every version of the name, however many, page by page
            UpdraftApi.Page page = api.releasesPage(cursor == null ? query
                    : query + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            for (JsonNode release : page.items()) {
                if (version.equals(release.path("version").asText())) {
                    return release.path("id").asText();
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        throw new UpdraftApi.ApiException("no release " + name + " " + version, 404);
    }

    @Command(name = "publish", description = "Upload artifacts and publish a release (streams the files, sends"
            + " their sha256 so the service rejects a corrupted upload).")
    static final class Publish implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--file", required = true, description = "artifact to upload (repeat for several)")
        List<Path> files;
        @Option(names = "--version", required = true, description = "SemVer 2.0 version, e.g. 1.2.0 or 2.0.0-rc.1")
        String version;
        @Option(names = "--hw", required = true, paramLabel = "MODEL:REVISION",
                description = "compatible hardware, e.g. gw-200:1.0 or gw-200:* (repeat for several)")
        List<String> hardware;
        @Option(names = "--name", description = "release name (default: the first file's name without extension"
                + " and version)")
        String name;
        @Option(names = "--sha256", description = "expected sha256 of each --file, in order (default: computed"
                + " here); a file that does not match is not uploaded")
        List<String> sha256 = new ArrayList<>();
        @Option(names = "--signature", description = "detached signature of each --file, in order (openssl cms"
                + " -sign -binary -outform DER, or openssl dgst -sha256 -sign)")
        List<Path> signatures = new ArrayList<>();
        @Option(names = "--role", paramLabel = "full|delta", description = "role of each --file, in order, like"
                + " --sha256 (default: all full): delta marks the .swu a device with update.delta=zchunk is offered"
                + " instead of the full files of its part")
        List<String> roles = new ArrayList<>();
        @Option(names = "--part", description = "software module of the files (default os)")
        String part;
        @Option(names = "--notes", description = "release notes")
        String notes;
        @Option(names = "--notes-file", description = "release notes from a file")
        Path notesFile;
        @Option(names = "--min-installed", description = "devices must run at least this version to take it")
        String minInstalled;
        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "a label (repeat for several)")
        Map<String, String> labels = new LinkedHashMap<>();
        @Option(names = "--draft", description = "store it as a DRAFT: not announced until 'release publish-draft'")
        boolean draft;

        @Override
        public Integer call() throws IOException {
            Printer printer = UpdraftCli.of(spec).printer(spec);
            files = files.stream().map(UpdraftCli::userPath).toList();
            signatures = signatures.stream().map(UpdraftCli::userPath).toList();
            if (!sha256.isEmpty() && sha256.size() != files.size()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give one --sha256 per --file");
            }
            List<String> fileRoles = roles(spec, roles, files.size());
            List<String> hashes = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                String actual = sha256(files.get(i));
                if (!sha256.isEmpty() && !sha256.get(i).strip().equalsIgnoreCase(actual)) {
                    throw new IllegalStateException("sha256 of " + files.get(i) + " is " + actual + ", not the expected "
                            + sha256.get(i) + ": not uploading it");
                }
                hashes.add(actual);
            }
            UpdraftApi.Publication publication = UpdraftCli.of(spec).api().publishRelease(new UpdraftApi.ReleaseUpload(
                    metadata(), part, files, hashes, signatures, draft), Map.of(), fileRoles);
            JsonNode release = publication.release();
            String verb = !publication.created() ? "already there (identical):" : draft ? "stored draft" : "published";
            printer.result(release, verb + " " + release.path("name").asText() + " " + release.path("version").asText()
                    + " (id " + release.path("id").asText() + ", state " + release.path("state").asText() + ")\n"
                    + artifacts(release));
            return 0;
        }

        private ObjectNode metadata() throws IOException {
            ObjectNode metadata = UpdraftApi.object().put("name", name == null ? defaultName() : name)
                    .put("version", version);
            ArrayNode hw = metadata.putArray("hardware");
            for (String entry : hardware) {
                int colon = entry.lastIndexOf(':');
                if (colon <= 0 || colon == entry.length() - 1) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--hw must be MODEL:REVISION (revision * for any), not " + entry);
                }
                hw.addObject().put("model", entry.substring(0, colon)).put("revision", entry.substring(colon + 1));
            }
            String text = notesFile == null ? notes : Files.readString(UpdraftCli.userPath(notesFile));
            if (text != null) {
                metadata.put("notes", text);
            }
            if (minInstalled != null) {
                metadata.put("minInstalledVersion", minInstalled);
            }
            if (!labels.isEmpty()) {
                ObjectNode labelNode = metadata.putObject("labels");
                labels.forEach(labelNode::put);
            }
            return metadata;
        }

        private String defaultName() {
            String file = files.get(0).getFileName().toString();
            int dot = file.lastIndexOf('.');
            String base = dot > 0 ? file.substring(0, dot) : file;
            return VERSION_SUFFIX.matcher(base).replaceFirst("");
        }
    }

    @Command(name = "list", description = "Releases, newest first (or by SemVer with --order version).")
    static final class ListReleases implements Callable<Integer> {
        private static final List<String> HEADER = List.of("ID", "NAME", "VERSION", "STATE", "ARTIFACTS", "CREATED");

        @Spec
        CommandSpec spec;
        @Option(names = "--name", description = "only this release name")
        String name;
        @Option(names = "--state", description = "DRAFT, PUBLISHED, STABLE or REVOKED")
        String state;
        @Option(names = "--order", defaultValue = "created", description = "created (default) or version (needs"
                + " --name; not with --all or --cursor)")
        String order;
        @Option(names = "--limit", defaultValue = "100", description = "releases per page (default 100, at most 500)")
        int limit;
        @Mixin
        CursorOptions paging;

        @Override
        public Integer call() {
            if (paging.used() && !"created".equals(order)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--all and --cursor page newest first:"
                        + " not with --order " + order);
            }
            UpdraftApi api = UpdraftCli.of(spec).api();
            Printer printer = UpdraftCli.of(spec).printer(spec);
            return paging.print(printer, HEADER, ListReleases::row, cursor -> api.releasesPage(query(cursor)), "releases");
        }

        private String query(String cursor) {
            StringBuilder query = new StringBuilder("limit=" + limit + "&order=" + order);
            if (name != null) {
                query.append("&name=").append(URLEncoder.encode(name, StandardCharsets.UTF_8));
            }
            if (state != null) {
                query.append("&state=").append(URLEncoder.encode(state, StandardCharsets.UTF_8));
            }
            if (cursor != null) {
                query.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            }
            return query.toString();
        }

        private static List<String> row(JsonNode r) {
            return List.of(r.path("id").asText(), r.path("name").asText(), r.path("version").asText(),
                    r.path("state").asText(), String.valueOf(r.path("artifacts").size()), Printer.text(r, "createdAt"));
        }
    }

    @Command(name = "show", description = "One release with its artifacts (ID or NAME@VERSION).")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "RELEASE")
        String release;

        @Override
        public Integer call() {
            UpdraftApi api = UpdraftCli.of(spec).api();
            JsonNode r = api.release(resolveId(api, release));
            StringBuilder human = new StringBuilder();
            human.append(r.path("name").asText()).append(' ').append(r.path("version").asText()).append("  ")
                    .append(r.path("state").asText()).append("  id ").append(r.path("id").asText()).append('\n');
            List<String> hw = new ArrayList<>();
            r.path("hardware").forEach(h -> hw.add(h.path("model").asText() + ":" + h.path("revision").asText()));
            human.append("hardware: ").append(String.join(", ", hw)).append('\n');
            if (r.hasNonNull("minInstalledVersion")) {
                human.append("requires installed >= ").append(r.path("minInstalledVersion").asText()).append('\n');
            }
            if (r.path("labels").size() > 0) {
                human.append("labels: ").append(r.path("labels").toString()).append('\n');
            }
            if (r.hasNonNull("revokedReason")) {
                human.append("revoked: ").append(r.path("revokedReason").asText()).append('\n');
            }
            if (r.hasNonNull("notes")) {
                human.append("notes: ").append(r.path("notes").asText()).append('\n');
            }
            human.append(artifacts(r));
            UpdraftCli.of(spec).printer(spec).result(r, human.toString().stripTrailing());
            return 0;
        }
    }

    /** A state change of one release (ID or NAME@VERSION); prints "gw-firmware 1.2.0 is STABLE" or the JSON. */
    abstract static class StateChange implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "RELEASE")
        String release;

        abstract JsonNode send(UpdraftApi api, String releaseId);

        String suffix(JsonNode changed) {
            return "";
        }

        @Override
        public Integer call() {
            UpdraftApi api = UpdraftCli.of(spec).api();
            JsonNode changed = send(api, resolveId(api, release));
            UpdraftCli.of(spec).printer(spec).result(changed, changed.path("name").asText() + " "
                    + changed.path("version").asText() + " is " + changed.path("state").asText() + suffix(changed));
            return 0;
        }
    }

    @Command(name = "promote", description = "Mark a published release STABLE (ID or NAME@VERSION).")
    static final class Promote extends StateChange {
        @Override
        JsonNode send(UpdraftApi api, String releaseId) {
            return api.promoteRelease(releaseId);
        }
    }

    @Command(name = "revoke", description = "Revoke a release: never offered to a device again; its rollouts stop.")
    static final class Revoke extends StateChange {
        @Option(names = "--reason")
        String reason;

        @Override
        JsonNode send(UpdraftApi api, String releaseId) {
            return api.revokeRelease(releaseId, reason);
        }

        @Override
        String suffix(JsonNode changed) {
            return " (" + Printer.text(changed, "revokedReason") + ")";
        }
    }

    @Command(name = "publish-draft", description = "Publish a DRAFT release (announces it to the rollout-service).")
    static final class PublishDraft extends StateChange {
        @Override
        JsonNode send(UpdraftApi api, String releaseId) {
            return api.publishDraft(releaseId);
        }
    }

    /** {@code --role} values checked: none, or one per file, each full or delta (lower-cased). */
    static List<String> roles(CommandSpec spec, List<String> roles, int files) {
        if (roles.isEmpty()) {
            return List.of();
        }
        if (roles.size() != files) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give one --role per --file (" + files
                    + " files, " + roles.size() + " roles)");
        }
        List<String> checked = new ArrayList<>();
        for (String role : roles) {
            String lower = role.strip().toLowerCase(Locale.ROOT);
            if (!ROLES.contains(lower)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--role must be full or delta, not "
                        + role);
            }
            checked.add(lower);
        }
        return checked;
    }

    /** A sha256 as the gateway takes it (64 lowercase hex), or {@code null} if {@code text} is not one. */
    static String sha256Hex(String text) {
        String stripped = text == null ? "" : text.strip();
        return SHA256.matcher(stripped).matches() ? stripped.toLowerCase(Locale.ROOT) : null;
    }

    @Command(name = "delta-link", description = "A credential-free link to a .zck at device-gateway, for the url of"
            + " SWUpdate's delta handler in a signed sw-description (POST /api/v1/delta-links; the link serves once a"
            + " release holding the .zck was sent to a device).")
    static final class DeltaLink implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE.zck", arity = "0..1", description = "the .zck (its sha256 is computed here)")
        Path file;
        @Option(names = "--sha256", paramLabel = "HEX", description = "the .zck's sha256 instead of the file")
        String sha256;
        @Option(names = "--device-url", paramLabel = "URL", description = "origin devices reach the gateway at, to"
                + " print the whole link (env UPDRAFT_DEVICE_URL; default: ./updraft up's gateway)")
        String deviceUrl;

        @Override
        public Integer call() throws IOException {
            if ((file == null) == (sha256 == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give a FILE.zck or --sha256, one of them");
            }
            String hash = file != null ? sha256(UpdraftCli.userPath(file)) : sha256Hex(sha256);
            if (hash == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sha256 must be 64 hex digits, not "
                        + sha256);
            }
            UpdraftCli cli = UpdraftCli.of(spec);
            JsonNode link = cli.api().mintDeltaLink(cli.gatewayUrl(), hash);
            String path = link.path("path").asText();
            String origin = cli.deviceUrl(deviceUrl);
            ObjectNode answer = link.deepCopy();
            if (origin != null) {
                answer.put("url", origin + path);
            }
            Printer printer = cli.printer(spec);
            if (printer.ids()) {
                printer.line(origin != null ? origin + path : path);
                return 0;
            }
            printer.result(answer, origin != null ? origin + path : path + "\n(prefix it with the origin devices"
                    + " reach the gateway at, e.g. https://ddi.example.com; --device-url or UPDRAFT_DEVICE_URL prints"
                    + " it whole)");
            return 0;
        }
    }

    static String artifacts(JsonNode release) {
        StringBuilder text = new StringBuilder();
        for (JsonNode a : release.path("artifacts")) {
            text.append(String.format(Printer.NUMBERS, "  %-6s %-32s %12d bytes  sha256 %s%s%s%n", a.path("part").asText(),
                    a.path("filename").asText(), a.path("size").asLong(), a.path("sha256").asText(),
                    a.hasNonNull("signedBy") ? "  signed by " + a.path("signedBy").asText() : "",
                    a.hasNonNull("role") && !"full".equals(a.path("role").asText())
                            ? "  role " + a.path("role").asText() : ""));
        }
        return text.toString().stripTrailing();
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
