package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.launcher.UpdraftApi;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** {@code --all} and {@code --cursor} of the list commands whose API pages with an opaque cursor. */
final class CursorOptions {
    @Option(names = "--all", description = "follow the cursor to the last page: every row, however many (printed as"
            + " the pages arrive; --output json prints one array of them all)")
    boolean all;
    @Option(names = "--cursor", paramLabel = "CURSOR", description = "the page after this cursor (what the previous"
            + " page printed as next)")
    String cursor;

    boolean used() {
        return all || cursor != null;
    }

    /**
     * Fetches the first page ({@code --cursor}'s, or the first) and, with {@code --all}, every next one.
     *
     * @param fetch the page after a cursor (null: the first page)
     * @param page what to do with each page as it arrives
     * @return the cursor of the page after the last one fetched, null when there is none
     */
    String pages(Function<String, UpdraftApi.Page> fetch, Consumer<UpdraftApi.Page> page) {
        String next = cursor;
        do {
            UpdraftApi.Page current = fetch.apply(next);
            page.accept(current);
            if (current.nextCursor() != null && current.nextCursor().equals(next)) {
                throw new IllegalStateException("the API answered the same cursor again: " + next);
            }
            next = current.nextCursor();
        } while (all && next != null);
        return next;
    }

    /**
     * With {@code --all}, every page as it arrives and a count; otherwise one page ({@code --cursor}'s or the first)
     * and, when there are more, how to get them.
     *
     * @param noun what the rows are, for the count line ("rollouts")
     */
    int print(Printer printer, List<String> header, Function<JsonNode, List<String>> row,
            Function<String, UpdraftApi.Page> fetch, String noun) {
        if (all) {
            Printer.Rows rows = printer.new Rows(header, row);
            pages(fetch, page -> rows.add(page.items()));
            rows.close();
            if (!printer.json()) {
                printer.line(rows.count() + " " + noun);
            }
            return 0;
        }
        UpdraftApi.Page page = fetch.apply(cursor);
        if (printer.list(page.items(), page.items(), header, row) && page.nextCursor() != null) {
            printer.line("more: --cursor " + page.nextCursor() + " (or --all for every page)");
        }
        return 0;
    }
}
