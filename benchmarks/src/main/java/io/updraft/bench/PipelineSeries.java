package io.updraft.bench;

import io.updraft.bench.PipelineWatch.Sample;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The pipeline watch's samples as text: a compact series (one line per bucket) and the full one as TSV. */
final class PipelineSeries {
    private PipelineSeries() {
    }

    /**
     * One line per {@code bucketMillis} from {@code startMillis} (a header first): per lag and outbox the largest value
     * sampled in the bucket ({@code -} when none), the oldest outbox row's age (s, largest), and per process the mean
     * CPU over the bucket's samples, in cores. Buckets without a sample are left out.
     */
    static List<String> compact(List<Sample> samples, long startMillis, long bucketMillis) {
        Set<String> lagNames = names(samples, Sample::lags);
        Set<String> outboxNames = names(samples, Sample::outboxRows);
        Set<String> cpuNames = names(samples, Sample::cores);
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%6s", "t(s)"));
        lagNames.forEach(n -> header.append(String.format(Locale.ROOT, " %9s", n)));
        outboxNames.forEach(n -> header.append(String.format(Locale.ROOT, " %9s %6s", n, "age s")));
        header.append(" | cores:");
        cpuNames.forEach(n -> header.append(' ').append(n));
        header.append(" machine");
        lines.add(header.toString());
        long bucket = Long.MIN_VALUE;
        List<Sample> inBucket = new ArrayList<>();
        for (Sample sample : samples) {
            long b = Math.floorDiv(sample.wallMillis() - startMillis, bucketMillis);
            if (b != bucket && !inBucket.isEmpty()) {
                lines.add(line(bucket * bucketMillis / 1000, inBucket, lagNames, outboxNames, cpuNames));
                inBucket.clear();
            }
            bucket = b;
            inBucket.add(sample);
        }
        if (!inBucket.isEmpty()) {
            lines.add(line(bucket * bucketMillis / 1000, inBucket, lagNames, outboxNames, cpuNames));
        }
        return lines;
    }

    private static String line(long seconds, List<Sample> bucket, Set<String> lagNames, Set<String> outboxNames,
            Set<String> cpuNames) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%6d", seconds));
        for (String name : lagNames) {
            line.append(String.format(Locale.ROOT, " %9s", max(bucket, s -> s.lags().get(name))));
        }
        for (String name : outboxNames) {
            line.append(String.format(Locale.ROOT, " %9s %6s", max(bucket, s -> s.outboxRows().get(name)),
                    maxSeconds(bucket, s -> s.outboxOldestSeconds().get(name))));
        }
        line.append(" |");
        for (String name : cpuNames) {
            line.append(' ').append(name).append('=').append(mean(bucket, s -> s.cores().get(name)));
        }
        line.append(" machine=").append(mean(bucket, Sample::machineCores));
        return line.toString();
    }

    /** Every sample, one TSV row each: wall time (ms), then each value ({@code NaN} when missing). */
    static List<String> tsv(List<Sample> samples) {
        Set<String> lagNames = names(samples, Sample::lags);
        Set<String> outboxNames = names(samples, Sample::outboxRows);
        Set<String> cpuNames = names(samples, Sample::cores);
        List<String> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("wall_ms"));
        lagNames.forEach(n -> header.add("lag " + n));
        outboxNames.forEach(n -> {
            header.add("outbox " + n);
            header.add("oldest s " + n);
        });
        cpuNames.forEach(n -> header.add("cores " + n));
        header.add("cores machine");
        rows.add(String.join("\t", header));
        for (Sample s : samples) {
            List<String> row = new ArrayList<>(List.of(Long.toString(s.wallMillis())));
            lagNames.forEach(n -> row.add(String.valueOf(s.lags().getOrDefault(n, null))));
            outboxNames.forEach(n -> {
                row.add(String.valueOf(s.outboxRows().getOrDefault(n, null)));
                row.add(String.valueOf(s.outboxOldestSeconds().getOrDefault(n, null)));
            });
            cpuNames.forEach(n -> row.add(String.valueOf(s.cores().getOrDefault(n, null))));
            row.add(String.valueOf(s.machineCores()));
            rows.add(String.join("\t", row).replace("null", "NaN"));
        }
        return rows;
    }

    /**
     * The first sample at or after {@code afterMillis} whose telemetry committed offset on {@code partition} of
     * device-reports is past {@code offset} (a committed offset is the next record to read).
     */
    static Optional<Sample> firstConsumedPast(List<Sample> samples, int partition, long offset, long afterMillis) {
        return samples.stream().filter(s -> s.wallMillis() >= afterMillis)
                .filter(s -> s.telemetryCommitted().getOrDefault(partition, -1L) > offset).findFirst();
    }

    private static <V> Set<String> names(List<Sample> samples, Function<Sample, Map<String, V>> map) {
        Set<String> names = new LinkedHashSet<>();
        samples.forEach(s -> names.addAll(map.apply(s).keySet()));
        return names;
    }

    private static String max(List<Sample> bucket, Function<Sample, Long> value) {
        return bucket.stream().map(value).filter(v -> v != null).max(Long::compare).map(String::valueOf).orElse("-");
    }

    private static String maxSeconds(List<Sample> bucket, Function<Sample, Double> value) {
        return bucket.stream().map(value).filter(v -> v != null).max(Double::compare)
                .map(v -> String.format(Locale.ROOT, "%.1f", v)).orElse("-");
    }

    private static String mean(List<Sample> bucket, Function<Sample, Double> value) {
        return bucket.stream().map(value).filter(v -> v != null).mapToDouble(Double::doubleValue).average()
                .stream().mapToObj(v -> String.format(Locale.ROOT, "%.2f", v)).findFirst().orElse("-");
    }
}
