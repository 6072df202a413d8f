package io.updraft.bench;

import java.io.Reader;
import java.util.function.IntFunction;

/** Rows for {@code COPY … FROM STDIN}, generated while COPY reads them: nothing of the fleet is held in memory. */
final class CsvRows extends Reader {
    private final int count;
    private final IntFunction<String> row;
    private int next;
    private String current = "";
    private int offset;

    /** @param row the CSV line (with its newline) of row {@code i} */
    CsvRows(int count, IntFunction<String> row) {
        this.count = count;
        this.row = row;
    }

    @Override
    public int read(char[] buffer, int off, int len) {
        int written = 0;
        while (written < len) {
            if (offset == current.length()) {
                if (next == count) {
                    return written == 0 ? -1 : written;
                }
                current = row.apply(next++);
                offset = 0;
            }
            int n = Math.min(len - written, current.length() - offset);
            current.getChars(offset, offset + n, buffer, off + written);
            offset += n;
            written += n;
        }
        return written;
    }

    @Override
    public void close() {
    }

    /** A JSON text as one CSV field: quoted, inner quotes doubled. */
    static String jsonField(String json) {
        return "\"" + json.replace("\"", "\"\"") + "\"";
    }
}
