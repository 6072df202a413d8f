package io.updraft.bench;

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
import java.util.List;
import java.util.Map;

/**
 * The suite's results as {@code results.json} (every figure with unit, baseline, ratio, target and whether it is met)
 * and {@code results.md} (one Markdown table: figure | value | baseline | ratio | target).
 *
 * @param machine what the figures ran on (cores, memory, OS, JVM) — figures mean nothing without it
 */
public record ResultsReport(String mode, String startedAt, double elapsedSeconds, Map<String, String> machine,
        List<BenchmarkResult> benchmarks) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ResultsReport {
        machine = Map.copyOf(machine);
        benchmarks = List.copyOf(benchmarks);
    }

    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("suite", "updraft bench");
        root.put("mode", mode);
        root.put("startedAt", startedAt);
        root.put("elapsedSeconds", round(elapsedSeconds));
        ObjectNode machineNode = root.putObject("machine");
        machine.keySet().stream().sorted().forEach(key -> machineNode.put(key, machine.get(key)));
        ArrayNode list = root.putArray("benchmarks");
        for (BenchmarkResult result : benchmarks) {
            ObjectNode node = list.addObject();
            node.put("name", result.name());
            node.put("description", result.description());
            node.put("status", result.passed() ? "ok" : "failed");
            if (result.error() != null) {
                node.put("error", result.error());
            }
            node.put("seconds", round(result.seconds()));
            ArrayNode figures = node.putArray("figures");
            for (Figure figure : result.figures()) {
                ObjectNode f = figures.addObject();
                f.put("name", figure.name());
                putNumber(f, "value", figure.value());
                f.put("unit", figure.unit());
                putNumber(f, "baseline", figure.baseline());
                if (figure.baselineName() != null) {
                    f.put("baselineName", figure.baselineName());
                }
                putNumber(f, "ratio", figure.ratio() == null ? null : Math.round(figure.ratio() * 10_000) / 10_000.0);
                if (figure.target() != null) {
                    ObjectNode target = f.putObject("target");
                    target.put("on", figure.target().basis() == Figure.Target.Basis.VALUE ? "value" : "ratioPercent");
                    target.put("comparison", figure.target().comparison() == Figure.Target.Comparison.AT_LEAST ? ">="
                            : "<=");
                    target.put("limit", figure.target().limit());
                    target.put("text", figure.target().describe(figure.unit()));
                }
                Boolean met = figure.met();
                if (met == null) {
                    f.putNull("met");
                } else {
                    f.put("met", met);
                }
                if (figure.note() != null) {
                    f.put("note", figure.note());
                }
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Updraft benchmarks (").append(mode).append(")\n\n");
        md.append("Started ").append(startedAt).append(", ").append(String.format(java.util.Locale.ROOT, "%.0f",
                elapsedSeconds)).append(" s in all. Machine: ");
        md.append(String.join(", ", machine.keySet().stream().sorted().map(k -> k + " " + machine.get(k)).toList()));
        md.append(".\n\n| figure | value | baseline | ratio | target |\n|---|---|---|---|---|\n");
        for (BenchmarkResult result : benchmarks) {
            md.append("| **").append(cell(result.name())).append("**");
            md.append(result.passed() ? String.format(java.util.Locale.ROOT, " (%.0f s)", result.seconds())
                    : " — **failed**: " + cell(result.error()));
            md.append(" | | | | |\n");
            for (Figure figure : result.figures()) {
                md.append("| ").append(cell(figure.name())).append(" | ");
                md.append(figure.value() == null ? "not measured" + (figure.note() == null ? "" : ": "
                        + cell(figure.note())) : Numbers.format(figure.value()) + " " + cell(figure.unit()));
                md.append(" | ");
                if (figure.baseline() != null) {
                    md.append(Numbers.format(figure.baseline())).append(" ").append(cell(figure.unit()));
                    if (figure.baselineName() != null) {
                        md.append(" (").append(cell(figure.baselineName())).append(")");
                    }
                }
                md.append(" | ").append(figure.ratio() == null ? "" : Numbers.percent(figure.ratio())).append(" | ");
                if (figure.target() != null) {
                    Boolean met = figure.met();
                    md.append(cell(figure.target().describe(figure.unit()))).append(met == null ? " ?"
                            : met ? " ✔" : " ✘");
                }
                md.append(" |\n");
            }
        }
        return md.toString();
    }

    public void writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("results.json"), json(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("results.md"), markdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putNumber(ObjectNode node, String field, Double value) {
        if (value == null || !Double.isFinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }

    /** Table cells hold one line and no column separator. */
    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
