package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "devices", description = "The device inventory.")
final class DeviceCommands {
    /** The subcommands, in the order help lists them (UpdraftCli builds the tree: only the one a call needs). */
    static final List<Class<?>> SUBCOMMANDS = List.of(ListDevices.class, DeviceHistory.class);

    private static final List<String> HEADER = List.of("DEVICE", "COHORT", "VERSION", "LAST SEEN");

    @Command(name = "list", description = "Devices as the rollout-service knows them, by device id.")
    static final class ListDevices implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--filter", paramLabel = "EXPRESSION", description = "the filter language of rollouts, e.g."
                + " 'model == \"gw-200\" and version < \"2.0.0\"' (keys: any attribute, model, revision, version)")
        String filter;
        @Option(names = "--model", description = "shorthand for model == …")
        String model;
        @Option(names = "--revision", description = "shorthand for revision == …")
        String revision;
        @Option(names = "--version", description = "installed version, shorthand for version == …")
        String version;
        @Option(names = "--page", defaultValue = "0", description = "page number (default 0; not with --all or"
                + " --cursor)")
        int page;
        @Option(names = "--size", defaultValue = "100", description = "devices per page (default 100, at most 1000)")
        int size;
        @Mixin
        CursorOptions paging;

        @Override
        public Integer call() {
            if (page != 0 && paging.used()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--page does not go with --all or"
                        + " --cursor: a cursor says where the next page starts");
            }
            UpdraftApi api = UpdraftCli.of(spec).api();
            Printer printer = UpdraftCli.of(spec).printer(spec);
            if (paging.all) {
                Printer.Rows rows = printer.new Rows(HEADER, DeviceCommands::row);
                paging.pages(cursor -> page(api.devices(query(cursor))), page -> rows.add(page.items()));
                rows.close();
                if (!printer.json()) {
                    printer.line(rows.count() + " devices");
                }
                return 0;
            }
            JsonNode result = api.devices(paging.used() ? query(paging.cursor) : "page=" + page + "&size=" + size
                    + filters());
            if (printer.list(result, result.path("items"), HEADER, DeviceCommands::row)) {
                printer.line(result.path("items").size() + (result.hasNonNull("total") ? " of "
                        + result.path("total").asLong() : "") + " devices" + (paging.used() ? ""
                        : " (page " + result.path("page").asInt() + ")"));
                if (result.hasNonNull("nextCursor")) {
                    printer.line("more: --cursor " + result.path("nextCursor").asText() + " (or --all for every"
                            + " page)");
                }
            }
            return 0;
        }

        private String query(String cursor) {
            return "limit=" + size + (cursor == null ? "" : "&cursor=" + encode(cursor)) + filters();
        }

        private String filters() {
            StringBuilder query = new StringBuilder();
            Map<String, String> params = new LinkedHashMap<>();
            params.put("filter", filter);
            params.put("model", model);
            params.put("revision", revision);
            params.put("version", version);
            params.forEach((key, value) -> {
                if (value != null) {
                    query.append('&').append(key).append('=').append(encode(value));
                }
            });
            return query.toString();
        }
    }

    @Command(name = "history", description = "What happened to one device: installs sent, finished, canceled,"
            + " rollbacks (GET /api/v1/devices/{id}/history), oldest first.")
    static final class DeviceHistory implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "DEVICE", description = "device id")
        String deviceId;
        @Option(names = "--limit", paramLabel = "N", description = "entries per page (default: the service's)")
        Integer limit;
        @Mixin
        CursorOptions paging;

        @Override
        public Integer call() {
            UpdraftApi api = UpdraftCli.of(spec).api();
            return History.print(spec, paging, query -> api.deviceHistory(deviceId, query), limit);
        }
    }

    private static UpdraftApi.Page page(JsonNode result) {
        return new UpdraftApi.Page(result.path("items"),
                result.hasNonNull("nextCursor") ? result.path("nextCursor").asText() : null);
    }

    private static List<String> row(JsonNode device) {
        return List.of(device.path("deviceId").asText(), Printer.text(device, "cohort"),
                Printer.text(device, "installedVersion"), Printer.text(device, "lastSeen"));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
