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
    /** Built at the first --output json document only: a human table or line needs no ObjectMapper. */
    private static final class Pretty {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /**
     * The locale of formatted numbers ({@code String.format(Printer.NUMBERS, "%d …")}): {@link java.util.Formatter}
     * writes digits, signs and the decimal point for Locale.US without asking the locale data ({@code
     * DecimalFormatSymbols}, CLDR), which for any other locale costs a CLI call ~10 ms at its first number. The
     * characters are Locale.ROOT's.
     */
    static final Locale NUMBERS = Locale.US;

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

    /** {@code --output id}. */
    boolean ids() {
        return mode == UpdraftCli.Output.id;
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
            out.println(Pretty.JSON.writeValueAsString(node));
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
        rows(all, widths(all));
    }

    private static int[] widths(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        return widths;
    }

    private void rows(List<List<String>> all, int[] widths) {
        for (List<String> row : all) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                text.append(i == row.size() - 1 ? row.get(i)
                        : String.format(NUMBERS, "%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(text.toString().stripTrailing());
        }
        out.flush();
    }

    /**
     * Rows that arrive page by page ({@code --all}), printed as they come so a list of any length never sits in
     * memory: a table whose widths the first page sets, ids one per line, or (json) one array of every row.
     */
    final class Rows {
        private final List<String> header;
        private final java.util.function.Function<JsonNode, List<String>> row;
        private int[] widths;
        private long count;

        Rows(List<String> header, java.util.function.Function<JsonNode, List<String>> row) {
            this.header = header;
            this.row = row;
        }

        void add(JsonNode items) {
            if (mode == UpdraftCli.Output.human) {
                List<List<String>> batch = new ArrayList<>();
                items.forEach(item -> batch.add(row.apply(item)));
                if (widths == null && !batch.isEmpty()) {
                    List<List<String>> first = new ArrayList<>(batch);
                    first.add(0, header);
                    widths = widths(first);
                    rows(List.of(header), widths);
                }
                rows(batch, widths);
                count += batch.size();
                out.flush();
                return;
            }
            for (JsonNode item : items) {
                if (mode == UpdraftCli.Output.id) {
                    out.println(item.has("deviceId") ? item.path("deviceId").asText() : item.path("id").asText());
                } else {
                    out.print(count == 0 ? "[\n  " : ",\n  ");
                    out.print(item.toString());
                }
                count++;
            }
            out.flush();
        }

        long count() {
            return count;
        }

        /** Ends the output (json: the array); call once, after the last page. */
        void close() {
            if (mode == UpdraftCli.Output.json) {
                out.println(count == 0 ? "[]" : "\n]");
            } else if (mode == UpdraftCli.Output.human && widths == null) {
                rows(List.of(header), widths(List.of(header)));
            }
            out.flush();
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }
}
