package io.updraft.rollout.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.updraft.rollout.domain.HistoryEntry;
import io.updraft.support.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A page of a rollout's or a device's history, oldest first; {@code nextCursor} (null on the last page) asks for the
 * page after it. {@code actor} is the subject of the operator's token, {@code system} for what the service decided,
 * {@code device} for what the device reported.
 */
public record HistoryView(List<Entry> entries, String nextCursor) {
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1000;
    private static final Pattern KEY = Pattern.compile("[a-z]?[0-9]{20}");

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(Instant at, String type, String actor, String reason, String rolloutId, Integer wave,
            String cohort, String deviceId, Long actionId, String details) {
    }

    /** The position after which a page starts: the last entry's time and key. */
    record Cursor(Instant at, String key) {
        static final Cursor START = new Cursor(null, null);

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((at + "|" + key).getBytes(StandardCharsets.UTF_8));
        }

        /** 400 for anything this service did not hand out. */
        static Cursor decode(String cursor) {
            if (cursor == null || cursor.isEmpty()) {
                return START;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                        .split("\\|", 2);
                if (parts.length == 2 && KEY.matcher(parts[1]).matches()) {
                    return new Cursor(Instant.parse(parts[0]), parts[1]);
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // falls through to the 400
            }
            throw ProblemException.badRequest("cursor is not one this service handed out");
        }
    }

    /** @param rows up to {@code limit + 1} rows: one more than the page says whether another page follows */
    static HistoryView of(List<HistoryEntry> rows, int limit) {
        List<HistoryEntry> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit
                ? new Cursor(page.get(page.size() - 1).at(), page.get(page.size() - 1).key()).encode()
                : null;
        return new HistoryView(page.stream().map(r -> new Entry(r.at(), r.type(), r.actor(), r.reason(),
                r.rolloutId(), r.wave(), r.cohort(), r.deviceId(), r.actionId(), r.details())).toList(), next);
    }
}
