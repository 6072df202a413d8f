package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "devices", description = "The device inventory.", subcommands = DeviceCommands.ListDevices.class)
final class DeviceCommands {
    private static final Set<String> FILTERS = Set.of("model", "revision", "version");

    @Command(name = "list", description = "Devices as the rollout-service knows them.")
    static final class ListDevices implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--filter", paramLabel = "KEY=VALUE",
                description = "model=…, revision=… or version=… (installed version); repeat to combine")
        Map<String, String> filters = new LinkedHashMap<>();
        @Option(names = "--page", defaultValue = "0")
        int page;
        @Option(names = "--size", defaultValue = "100")
        int size;

        @Override
        public Integer call() {
            StringBuilder query = new StringBuilder("page=" + page + "&size=" + size);
            for (Map.Entry<String, String> filter : filters.entrySet()) {
                if (!FILTERS.contains(filter.getKey())) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--filter takes model, revision or version, not " + filter.getKey());
                }
                query.append('&').append(filter.getKey()).append('=')
                        .append(URLEncoder.encode(filter.getValue(), StandardCharsets.UTF_8));
            }
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
