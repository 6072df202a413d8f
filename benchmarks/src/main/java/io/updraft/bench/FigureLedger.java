package io.updraft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.bench.Figure.Numbers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The current figure of every benchmark, kept in the repository: {@code docs/performance-figures.json} (the record)
 * and {@code docs/performance-figures.md} (the table the READMEs point to), both written only by
 * {@code ./updraft bench --record}. Each figure carries the run that measured it — the date and time its benchmark
 * started, quick or full, the machine and its load average then — so a partial run ({@code --only cli}) replaces only its own figures
 * and every other row keeps its own date. A benchmark that failed leaves its earlier figures in place and records the
 * failure beside them; a figure is never estimated or carried over under a new date.
 */
final class FigureLedger {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One figure as measured, with the run it came from. */
    record Entry(String benchmark, String figure, Double value, String unit, Double baseline, String baselineName,
            Double ratio, String target, Boolean met, String note, String mode, String measuredAt, String machine,
            String load) {
    }

    /** A benchmark whose last recorded run failed: why, and when. */
    record Failure(String benchmark, String error, String mode, String at) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, Failure> failures = new LinkedHashMap<>();

    static FigureLedger read(Path json) {
        FigureLedger ledger = new FigureLedger();
        if (!Files.exists(json)) {
            return ledger;
        }
        try {
            JsonNode root = JSON.readTree(json.toFile());
            for (JsonNode node : root.path("figures")) {
                Entry entry = JSON.treeToValue(node, Entry.class);
                ledger.entries.put(key(entry.benchmark(), entry.figure()), entry);
            }
            for (JsonNode node : root.path("failures")) {
                Failure failure = JSON.treeToValue(node, Failure.class);
                ledger.failures.put(failure.benchmark(), failure);
            }
            return ledger;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
    }

    /**
     * Takes a run's results: every figure it measured replaces the one of the same benchmark and name; a benchmark
     * that failed is noted as failed (its figures measured before the failure are taken, the others kept).
     *
     * @param loads the load average when each benchmark started, by benchmark name
     * @param starts when each benchmark started (ISO-8601, UTC), by benchmark name: a figure's date is its own
     *        benchmark's start, not the run's (a full run takes 40 min); the run's start where it is not known
     */
    void record(ResultsReport report, Map<String, String> loads, Map<String, String> starts) {
        String machine = String.join(", ", report.machine().keySet().stream().sorted()
                .map(k -> k + " " + report.machine().get(k)).toList());
        for (BenchmarkResult result : report.benchmarks()) {
            if (result.passed()) {
                failures.remove(result.name());
            } else {
                failures.put(result.name(), new Failure(result.name(), result.error(), report.mode(),
                        starts.getOrDefault(result.name(), report.startedAt())));
            }
            for (Figure figure : result.figures()) {
                if (figure.value() == null) {
                    continue; // not measured: the earlier figure, with its own date, stays
                }
                entries.put(key(result.name(), figure.name()), new Entry(result.name(), figure.name(), figure.value(),
                        figure.unit(), figure.baseline(), figure.baselineName(), figure.ratio(),
                        figure.target() == null ? null : figure.target().describe(figure.unit()), figure.met(),
                        figure.note(), report.mode(), starts.getOrDefault(result.name(), report.startedAt()), machine,
                        loads.getOrDefault(result.name(), "unknown")));
            }
        }
    }

    List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    List<Failure> failures() {
        return List.copyOf(failures.values());
    }

    void write(Path json, Path markdown) {
        ObjectNode root = JSON.createObjectNode();
        root.put("generatedBy", "./updraft bench --record");
        ArrayNode figures = root.putArray("figures");
        entries.values().forEach(entry -> figures.add(JSON.valueToTree(entry)));
        ArrayNode failed = root.putArray("failures");
        failures.values().forEach(failure -> failed.add(JSON.valueToTree(failure)));
        try {
            Files.createDirectories(json.toAbsolutePath().getParent());
            Files.writeString(json, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
            Files.writeString(markdown, markdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Current benchmark figures\n\n");
        md.append("Generated by `./updraft bench --record` from `docs/performance-figures.json`; do not edit by hand. ")
                .append("Each figure is the latest recorded measurement of it, with the run it came from (measured: ")
                .append("when its benchmark started, UTC; quick or full; the machine): a partial ")
                .append("run replaces only its own rows. Load is the 1/5/15-minute load average when the benchmark ")
                .append("started (2 cores: above ~2 the machine was shared). How each is measured: ")
                .append("[benchmarks/README.md](../benchmarks/README.md); history and analysis: ")
                .append("[performance.md](performance.md).\n");
        Map<String, List<Entry>> byBenchmark = new LinkedHashMap<>();
        entries.values().forEach(e -> byBenchmark.computeIfAbsent(e.benchmark(), b -> new ArrayList<>()).add(e));
        for (Map.Entry<String, List<Entry>> benchmark : byBenchmark.entrySet()) {
            md.append("\n## ").append(cell(benchmark.getKey())).append("\n\n");
            Failure failure = failures.get(benchmark.getKey());
            if (failure != null) {
                md.append("Last run (").append(failure.mode()).append(", ").append(failure.at())
                        .append(") **failed**: ").append(cell(failure.error()))
                        .append(". Rows below dated earlier are from an earlier run.\n\n");
            }
            md.append("| figure | value | baseline | ratio | target | measured | load |\n");
            md.append("|---|---|---|---|---|---|---|\n");
            for (Entry e : benchmark.getValue()) {
                md.append("| ").append(cell(e.figure()));
                if (e.note() != null) {
                    md.append(" <br><small>").append(cell(e.note())).append("</small>");
                }
                md.append(" | ").append(Numbers.format(e.value())).append(' ').append(cell(e.unit())).append(" | ");
                if (e.baseline() != null) {
                    md.append(Numbers.format(e.baseline())).append(' ').append(cell(e.unit()));
                    if (e.baselineName() != null) {
                        md.append(" (").append(cell(e.baselineName())).append(')');
                    }
                }
                md.append(" | ").append(e.ratio() == null ? "" : Numbers.percent(e.ratio())).append(" | ");
                if (e.target() != null) {
                    md.append(cell(e.target())).append(e.met() == null ? " ?" : e.met() ? " ✔" : " ✘");
                }
                md.append(" | ").append(cell(e.measuredAt())).append(' ').append(e.mode())
                        .append("<br><small>").append(cell(e.machine())).append("</small>");
                md.append(" | ").append(cell(e.load())).append(" |\n");
            }
        }
        List<Failure> neverMeasured = failures.values().stream()
                .filter(f -> !byBenchmark.containsKey(f.benchmark())).toList();
        if (!neverMeasured.isEmpty()) {
            md.append("\n## Failed without figures\n\n");
            for (Failure f : neverMeasured) {
                md.append(String.format(Locale.ROOT, "- %s (%s, %s): %s%n", cell(f.benchmark()), f.mode(), f.at(),
                        cell(f.error())));
            }
        }
        return md.toString();
    }

    private static String key(String benchmark, String figure) {
        return benchmark + "\u0000" + figure;
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
