package io.updraft.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the time of one rollback decision went, from the device that sent the deciding install result to the
 * RollbackTriggered the bench read. All instants are epoch milliseconds of this machine's clock (the simulator, the
 * services and the broker share it); null where not known.
 *
 * @param deviceSent the simulator sent the result (before its HTTP queue)
 * @param gatewayIntake the ActionFinished's {@code occurredAt}: the gateway's feedback intake, in its transaction
 * @param onTopic the record's timestamp on device-reports: the outbox relay sent it
 * @param consumedSample the first lag sample in which telemetry's Streams app had committed past the record
 * @param decided the RollbackTriggered's {@code occurredAt}: the referee decided
 * @param triggerSeen the bench read the RollbackTriggered (read_committed: after telemetry's transaction committed)
 */
record DetectionSplit(Long deviceSent, Long gatewayIntake, Long onTopic, Long consumedSample, Long decided,
        Long triggerSeen) {

    /** Consumed past the record by then: the sample's time, but no later than the decision the record led to. */
    Long consumedBy() {
        if (consumedSample == null) {
            return decided;
        }
        return decided == null ? consumedSample : Math.min(consumedSample, decided);
    }

    /** Milliseconds per stage, in order; null where an end is unknown. */
    Map<String, Long> stages() {
        Map<String, Long> stages = new LinkedHashMap<>();
        stages.put("device → topic", between(deviceSent, onTopic));
        stages.put("  device → gateway intake (HTTP)", between(deviceSent, gatewayIntake));
        stages.put("  gateway intake → on device-reports (outbox relay)", between(gatewayIntake, onTopic));
        stages.put("waiting in telemetry's input", between(onTopic, consumedBy()));
        stages.put("processing to the decision", between(consumedBy(), decided));
        stages.put("decision → RollbackTriggered read (commit)", between(decided, triggerSeen));
        stages.put("total: device → RollbackTriggered read", between(deviceSent, triggerSeen));
        stages.put("deciding record's timestamp → RollbackTriggered read", between(onTopic, triggerSeen));
        return stages;
    }

    /** The stages as lines, with each known instant (UTC, ms) first. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("device sent " + at(deviceSent) + ", gateway intake " + at(gatewayIntake) + ", on device-reports "
                + at(onTopic) + ", telemetry consumed past it by " + at(consumedBy())
                + (consumedSample != null && !consumedSample.equals(consumedBy()) ? " (first lag sample after: "
                        + at(consumedSample) + ")" : "")
                + ", decided " + at(decided) + ", RollbackTriggered read " + at(triggerSeen));
        stages().forEach((stage, millis) -> lines.add(String.format(Locale.ROOT, "  %-55s %s", stage,
                millis == null ? "?" : String.format(Locale.ROOT, "%,d ms", millis))));
        return lines;
    }

    private static Long between(Long from, Long to) {
        return from == null || to == null ? null : to - from;
    }

    private static String at(Long millis) {
        return millis == null ? "?" : Instant.ofEpochMilli(millis).toString();
    }
}
