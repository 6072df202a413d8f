package io.updraft.bench;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures {@code telemetry.TopologyBenchmark} prints, read back from its output (which also holds Kafka's log
 * lines, and until it left telemetry-service's tests on 2026-12-05, Maven's). Each figure is optional: a line that is missing or reworded gives an empty figure,
 * never a guessed one. A figure printed more than once (each round, then the rounds' medians) is read from its last
 * line.
 */
public record TopologyBenchmarkOutput(Optional<Double> plainConsumerPerSecond, Optional<Double> topologyPerSecond,
        Optional<Latency> detection, boolean noTrigger, Optional<Double> plainCpuMicrosPerEvent,
        Optional<Double> topologyCpuMicrosPerEvent, Optional<Double> exactlyOnceFloorPerSecond,
        Optional<Double> shapeFloorPerSecond, Optional<Double> atLeastOncePerSecond,
        Optional<Double> atLeastOnceFloorPerSecond) {

    /** Detection latency over {@code trials} of {@code planned} trials, in milliseconds. */
    public record Latency(int trials, int planned, double p50, double p99, double max) {
    }

    private static final String NUMBER = "(\\d[\\d,]*(?:\\.\\d+)?)";
    private static final Pattern PLAIN = Pattern.compile("plain\\s+KafkaConsumer[^\\n]*?" + NUMBER + "\\s*events/s",
            Pattern.CASE_INSENSITIVE);
    /** The health topology under exactly-once v2 (a line without a guarantee: an older output). */
    private static final Pattern TOPOLOGY = Pattern.compile("health\\s+topology(?!\\s+\\(at-least-once\\))[^\\n]*?"
            + NUMBER + "\\s*events/s", Pattern.CASE_INSENSITIVE);
    /** The same topology under at-least-once processing. */
    private static final Pattern AT_LEAST_ONCE = Pattern.compile("health\\s+topology\\s+\\(at-least-once\\)[^\\n]*?"
            + NUMBER + "\\s*events/s", Pattern.CASE_INSENSITIVE);
    private static final Pattern AT_LEAST_ONCE_FLOOR = Pattern.compile(
            "Kafka\\s+Streams\\s+at_least_once\\s+parse\\s+only[^\\n]*?" + NUMBER + "\\s*events/s",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LATENCY_LINE = Pattern.compile("detection\\s+latency[^\\n]*", Pattern.CASE_INSENSITIVE);
    private static final Pattern PLAIN_CPU = Pattern.compile("plain\\s+KafkaConsumer[^\\n]*?events/s[^\\n]*?"
            + NUMBER + "\\s*\\S{0,4}s\\s*CPU/event", Pattern.CASE_INSENSITIVE);
    private static final Pattern TOPOLOGY_CPU = Pattern.compile("health\\s+topology(?!\\s+\\(at-least-once\\))"
            + "[^\\n]*?events/s[^\\n]*?" + NUMBER + "\\s*\\S{0,4}s\\s*CPU/event", Pattern.CASE_INSENSITIVE);
    /** A Kafka Streams app with the service's exactly-once settings that only parses each record. */
    private static final Pattern FLOOR = Pattern.compile("Kafka\\s+Streams\\s+exactly_once_v2\\s+parse\\s+only[^\\n]*?"
            + NUMBER + "\\s*events/s", Pattern.CASE_INSENSITIVE);
    /** The service's own topology, exactly-once, with a device processor that only parses each record. */
    private static final Pattern SHAPE = Pattern.compile("Kafka\\s+Streams\\s+service-shape\\s+parse\\s+only[^\\n]*?"
            + NUMBER + "\\s*events/s", Pattern.CASE_INSENSITIVE);
    private static final Pattern TRIALS = Pattern.compile("(\\d+)\\s*/\\s*(\\d+)\\s*trials");

    public static TopologyBenchmarkOutput parse(String output) {
        Optional<Double> plain = number(PLAIN, output);
        Optional<Double> topology = number(TOPOLOGY, output);
        Optional<Latency> latency = Optional.empty();
        boolean noTrigger = false;
        Matcher line = LATENCY_LINE.matcher(output);
        while (line.find()) {
            String text = line.group();
            if (text.toLowerCase().contains("no trigger")) {
                noTrigger = true;
                continue;
            }
            Optional<Double> p50 = labelled(text, "p50");
            Optional<Double> p99 = labelled(text, "p99");
            Optional<Double> max = labelled(text, "max");
            if (p50.isPresent() && p99.isPresent()) {
                Matcher trials = TRIALS.matcher(text);
                int done = -1;
                int planned = -1;
                if (trials.find()) {
                    done = Integer.parseInt(trials.group(1));
                    planned = Integer.parseInt(trials.group(2));
                }
                latency = Optional.of(new Latency(done, planned, p50.get(), p99.get(), max.orElse(p99.get())));
            }
        }
        return new TopologyBenchmarkOutput(plain, topology, latency, noTrigger, number(PLAIN_CPU, output),
                number(TOPOLOGY_CPU, output), number(FLOOR, output), number(SHAPE, output),
                number(AT_LEAST_ONCE, output), number(AT_LEAST_ONCE_FLOOR, output));
    }

    private static Optional<Double> number(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        Optional<Double> last = Optional.empty();
        while (m.find()) { // the last one printed wins (a re-run in the same output)
            last = Optional.of(Double.parseDouble(m.group(1).replace(",", "")));
        }
        return last;
    }

    private static Optional<Double> labelled(String line, String label) {
        Matcher m = Pattern.compile("\\b" + label + "\\s*[:=]?\\s*" + NUMBER + "\\s*ms", Pattern.CASE_INSENSITIVE)
                .matcher(line);
        return m.find() ? Optional.of(Double.parseDouble(m.group(1).replace(",", ""))) : Optional.empty();
    }
}
