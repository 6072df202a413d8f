package io.updraft.telemetry.messaging.streams;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads an {@code Instant} in the canonical form {@code Instant.toString()} writes and every event carries as
 * {@code occurredAt} ({@code uuuu-MM-ddTHH:mm:ss[.f…f]Z}: four-digit year, zero to nine fraction digits, UTC)
 * straight from the parser's characters, without the {@code DateTimeFormatter} machinery (12–15 % of the stream
 * thread's time in the topology benchmark's profiles). Any other form, and any value out of range, goes to Jackson's
 * own {@link InstantDeserializer}, which decides as it did before: the same values and the same errors, only the
 * common form is faster.
 */
final class CanonicalInstantDeserializer extends StdScalarDeserializer<Instant> {
    private static final long DAYS_0000_TO_1970 = 719_528L;
    private static final int[] NANO_SCALE = { 0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100,
            10, 1 };

    CanonicalInstantDeserializer() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.hasToken(JsonToken.VALUE_STRING)) {
            Instant instant = parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            if (instant != null) {
                return instant;
            }
        }
        return InstantDeserializer.INSTANT.deserialize(parser, context);
    }

    /** @return the instant, or null if {@code chars} is not in the canonical form or out of range */
    static Instant parse(char[] chars, int offset, int length) {
        if (length < 20 || length > 30 || chars[offset + length - 1] != 'Z') {
            return null;
        }
        int year = digits(chars, offset, 4);
        int month = digits(chars, offset + 5, 2);
        int day = digits(chars, offset + 8, 2);
        int hour = digits(chars, offset + 11, 2);
        int minute = digits(chars, offset + 14, 2);
        int second = digits(chars, offset + 17, 2);
        if (chars[offset + 4] != '-' || chars[offset + 7] != '-' || chars[offset + 10] != 'T'
                || chars[offset + 13] != ':' || chars[offset + 16] != ':' || year < 0 || month < 1 || month > 12
                || day < 1 || day > lengthOfMonth(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21; // between the '.' and the 'Z'
            if (chars[offset + 19] != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int value = digits(chars, offset + 20, fraction);
            if (value < 0) {
                return null;
            }
            nanos = value * NANO_SCALE[fraction];
        } else if (chars[offset + 19] != 'Z') {
            return null;
        }
        long seconds = epochDay(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** @return the decimal value of {@code count} ASCII digits, or -1 if one is not a digit */
    private static int digits(char[] chars, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = chars[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static boolean leap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> leap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** As {@code LocalDate.toEpochDay()}, for years 0 to 9999. */
    private static long epochDay(int year, int month, int day) {
        long total = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!leap(year)) {
                total--;
            }
        }
        return total - DAYS_0000_TO_1970;
    }
}
