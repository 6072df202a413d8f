package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.bench.PipelineWatch.Sample;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineSeriesTest {
    private static final long START = 1_765_000_000_000L;

    private static Sample sample(long atMillis, Long telLag, Long outbox, Double oldest, Double gatewayCores,
            Map<Integer, Long> committed) {
        Map<String, Long> lags = new LinkedHashMap<>();
        if (telLag != null) {
            lags.put("tel:reports", telLag);
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, Double> ages = new LinkedHashMap<>();
        if (outbox != null) {
            rows.put("gw:outbox", outbox);
        }
        if (oldest != null) {
            ages.put("gw:outbox", oldest);
        }
        Map<String, Double> cores = new HashMap<>();
        if (gatewayCores != null) {
            cores.put("gateway", gatewayCores);
        }
        return new Sample(START + atMillis, lags, rows, ages, cores, 1.5, committed);
    }

    @Test
    void compactsToOneLinePerBucketWithTheLargestBacklogAndTheMeanCpu() {
        List<Sample> samples = List.of(sample(0, 10L, 5L, 0.5, null, Map.of()),
                sample(2_000, 400L, 900L, 3.0, 0.5, Map.of()), sample(4_000, 20L, 100L, 1.0, 1.0, Map.of()),
                sample(10_000, 0L, 0L, null, 0.25, Map.of()), sample(32_000, null, null, null, null, Map.of()));

        List<String> lines = PipelineSeries.compact(samples, START, 10_000);

        assertThat(lines).hasSize(4); // header, buckets 0, 10 and 30 s (none sampled in 20 s)
        assertThat(lines.get(0)).contains("t(s)", "tel:reports", "gw:outbox", "age s", "cores: gateway", "machine");
        assertThat(lines.get(1).trim()).startsWith("0 ").contains(" 400 ", " 900 ", " 3.0 ", "gateway=0.75",
                "machine=1.50");
        assertThat(lines.get(2).trim()).startsWith("10 ").contains("gateway=0.25").contains(" - "); // no oldest row
        assertThat(lines.get(3).trim()).startsWith("30 ").contains("gateway=-");
    }

    @Test
    void findsTheFirstSampleInWhichTelemetryHadCommittedPastARecord() {
        // a committed offset is the next record to read: offset 41 is consumed once the committed offset is 42
        List<Sample> samples = List.of(sample(0, 1L, 0L, null, null, Map.of(3, 41L)),
                sample(2_000, 1L, 0L, null, null, Map.of(3, 41L, 4, 900L)),
                sample(4_000, 1L, 0L, null, null, Map.of(3, 42L)), sample(6_000, 1L, 0L, null, null, Map.of(3, 50L)));

        assertThat(PipelineSeries.firstConsumedPast(samples, 3, 41, START)).map(Sample::wallMillis)
                .hasValue(START + 4_000);
        // only samples taken after the record was on the topic count
        assertThat(PipelineSeries.firstConsumedPast(samples, 3, 41, START + 5_000)).map(Sample::wallMillis)
                .hasValue(START + 6_000);
        assertThat(PipelineSeries.firstConsumedPast(samples, 4, 1_000, START)).isEmpty();
        assertThat(PipelineSeries.firstConsumedPast(samples, 5, 0, START)).isEmpty();
    }

    @Test
    void writesEverySampleAsATsvRowWithNaNWhereAValueIsMissing() {
        List<String> rows = PipelineSeries.tsv(List.of(sample(0, 7L, 3L, 0.5, null, Map.of()),
                sample(2_000, null, null, null, 1.0, Map.of())));

        assertThat(rows.get(0)).isEqualTo("wall_ms\tlag tel:reports\toutbox gw:outbox\toldest s gw:outbox\t"
                + "cores gateway\tcores machine");
        assertThat(rows.get(1)).isEqualTo(START + "\t7\t3\t0.5\tNaN\t1.5");
        assertThat(rows.get(2)).isEqualTo((START + 2_000) + "\tNaN\tNaN\tNaN\t1.0\t1.5");
    }
}
