package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A history as the rollout-service answers it ({@code {"entries":[{"at","type","actor","reason","wave","cohort",
 * "deviceId","actionId","details"}],"nextCursor":…}}): a table (time, type, actor, wave/cohort, reason/details), or
 * with {@code --output json} the document ({@code --all}: one array of every entry), with {@code --output id} the ids
 * of the actions it names.
 */
final class History {
    static final List<String> HEADER = List.of("TIME", "TYPE", "ACTOR", "WAVE/COHORT", "REASON/DETAILS");

    private History() {
    }

    /** @param fetch the answer to a query string ({@code cursor=…&limit=…}, or empty) */
    static int print(CommandSpec spec, CursorOptions paging, Function<String, JsonNode> fetch, Integer limit) {
        Printer printer = UpdraftCli.of(spec).printer(spec);
        if (printer.ids()) { // the actions the history names, one id a line
            paging.pages(cursor -> page(fetch.apply(query(cursor, limit))), page -> page.items().forEach(entry -> {
                if (entry.hasNonNull("actionId")) {
                    printer.line(entry.path("actionId").asText());
                }
            }));
            return 0;
        }
        if (!paging.all && printer.json()) {
            printer.json(fetch.apply(query(paging.cursor, limit)));
            return 0;
        }
        Printer.Rows rows = printer.new Rows(HEADER, History::row);
        String next = paging.pages(cursor -> page(fetch.apply(query(cursor, limit))), page -> rows.add(page.items()));
        rows.close();
        if (!printer.json() && next != null) {
            printer.line("more: --cursor " + next + " (or --all for every page)");
        }
        return 0;
    }

    private static String query(String cursor, Integer limit) {
        StringBuilder query = new StringBuilder();
        if (cursor != null) {
            query.append("cursor=").append(DeviceCommands.encode(cursor));
        }
        if (limit != null) {
            query.append(query.isEmpty() ? "" : "&").append("limit=").append(limit);
        }
        return query.toString();
    }

    private static UpdraftApi.Page page(JsonNode history) {
        return new UpdraftApi.Page(history.path("entries"),
                history.hasNonNull("nextCursor") ? history.path("nextCursor").asText() : null);
    }

    static List<String> row(JsonNode entry) {
        String wave = entry.hasNonNull("wave") ? entry.path("wave").asText() : "-";
        String place = entry.hasNonNull("cohort") ? wave + "/" + entry.path("cohort").asText() : wave;
        String reason = entry.hasNonNull("reason") ? entry.path("reason").asText() : "";
        String details = entry.hasNonNull("details") ? entry.path("details").asText() : "";
        String why = reason.isEmpty() || details.isEmpty() ? reason + details : reason + " — " + details;
        return List.of(Printer.text(entry, "at"), Printer.text(entry, "type"), Printer.text(entry, "actor"), place,
                why.isEmpty() ? "-" : oneLine(why));
    }

    /** A reason typed into a form may hold line breaks; a table row may not. */
    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ");
    }
}
