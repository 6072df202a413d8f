package io.updraft.launcher.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints results: the API's JSON as it is ({@code --output json}), only ids ({@code --output id}, for shell
 * variables without jq) or lines and tables for people.
 */
final class Printer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final UpdraftCli.Output mode;

    Printer(PrintWriter out, UpdraftCli.Output mode) {
        this.out = out;
        this.mode = mode;
    }

    /** Machine-readable output (json or id): commands print the API's answer through {@link #json}. */
    boolean json() {
        return mode != UpdraftCli.Output.human;
    }

    /** In JSON mode the node; in human mode the line. */
    void result(JsonNode node, String human) {
        if (json()) {
            json(node);
        } else {
            line(human);
        }
    }

    /** {@code --output json}: the document; {@code --output id}: its id (one per line for a list or a page). */
    void json(JsonNode node) {
        if (mode == UpdraftCli.Output.id) {
            JsonNode items = node.isArray() ? node : node.has("items") ? node.path("items") : null;
            if (items == null) {
                out.println(node.has("deviceId") ? node.path("deviceId").asText() : node.path("id").asText());
            } else {
                items.forEach(item -> out.println(item.has("deviceId") ? item.path("deviceId").asText()
                        : item.path("id").asText()));
            }
            out.flush();
            return;
        }
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** One compact JSON document per line (a stream of updates). */
    void jsonLine(JsonNode node) {
        out.println(mode == UpdraftCli.Output.id ? node.path("state").asText() : node.toString());
        out.flush();
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    /**
     * What every list command prints: the JSON as the API returned it with {@code --output json}, otherwise a table
     * with one row per item.
     *
     * @return true if a table was printed (callers may add a footer line)
     */
    boolean list(JsonNode result, JsonNode items, List<String> header,
            java.util.function.Function<JsonNode, List<String>> row) {
        if (json()) {
            json(result);
            return false;
        }
        List<List<String>> rows = new ArrayList<>();
        items.forEach(item -> rows.add(row.apply(item)));
        table(header, rows);
        return true;
    }

    /** A table with a header row; column widths fit the widest cell. */
    void table(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                text.append(i == row.size() - 1 ? row.get(i)
                        : String.format(Locale.ROOT, "%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(text.toString().stripTrailing());
        }
        out.flush();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }
}
