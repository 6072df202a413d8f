package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "devices", description = "The device inventory.", subcommands = DeviceCommands.ListDevices.class)
final class DeviceCommands {
    @Command(name = "list", description = "Devices as the rollout-service knows them.")
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
        @Option(names = "--page", defaultValue = "0")
        int page;
        @Option(names = "--size", defaultValue = "100")
        int size;

        @Override
        public Integer call() {
            StringBuilder query = new StringBuilder("page=" + page + "&size=" + size);
            Map<String, String> params = new LinkedHashMap<>();
            params.put("filter", filter);
            params.put("model", model);
            params.put("revision", revision);
            params.put("version", version);
            params.forEach((key, value) -> {
                if (value != null) {
                    query.append('&').append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                }
            });
            JsonNode result = UpdraftCli.of(spec).api().devices(query.toString());
            Printer printer = UpdraftCli.of(spec).printer(spec);
            boolean table = printer.list(result, result.path("items"), List.of("DEVICE", "COHORT", "VERSION", "LAST SEEN"),
                    d -> List.of(d.path("deviceId").asText(), Printer.text(d, "cohort"),
                            Printer.text(d, "installedVersion"), Printer.text(d, "lastSeen")));
            if (table) {
                printer.line(result.path("items").size() + " of " + result.path("total").asLong() + " devices (page "
                        + result.path("page").asInt() + ")");
            }
            return 0;
        }
    }
}
