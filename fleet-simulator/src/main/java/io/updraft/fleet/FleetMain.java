package io.updraft.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Runs a scenario file against a gateway: {@code FleetMain scenario.yaml [PT5M]}. Prints a summary line every five
 * seconds and a final report (devices per model and version, install counts, problems).
 */
public final class FleetMain {
    private FleetMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: FleetMain <scenario.yaml|json> [duration, ISO-8601, default PT5M]");
            System.exit(2);
        }
        FleetScenario scenario = ScenarioFile.load(Path.of(args[0]));
        Duration duration = args.length > 1 ? Duration.parse(args[1]) : Duration.ofMinutes(5);
        try (Fleet fleet = new Fleet(scenario).start()) {
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(5_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                System.out.println(fleet.summary());
            }
            System.out.println(report(fleet));
        }
    }

    /** The closing report: versions per model, then every problem a device saw (at most 20). */
    public static String report(Fleet fleet) {
        StringBuilder out = new StringBuilder("final: ").append(fleet.summary()).append('\n');
        for (Map.Entry<String, Map<String, Long>> model : fleet.versionsByModel().entrySet()) {
            out.append("  ").append(model.getKey()).append(": ").append(model.getValue()).append('\n');
        }
        fleet.logs().stream().flatMap(log -> log.problems().stream().map(p -> log.deviceId() + ": " + p)).limit(20)
                .forEach(problem -> out.append("  problem ").append(problem).append('\n'));
        if (!fleet.repeatedInstalls().isEmpty()) {
            out.append("  repeated installs: ").append(fleet.repeatedInstalls()).append('\n');
        }
        return out.toString();
    }
}
