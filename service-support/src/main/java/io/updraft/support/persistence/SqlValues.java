package io.updraft.support.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/** Reads native-query columns one way, whatever Java type the driver and Hibernate chose for them. */
public final class SqlValues {
    private SqlValues() {
    }

    public static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** A count or id; SQL null reads as 0. */
    public static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    public static int integer(Object value) {
        return value == null ? 0 : ((Number) value).intValue();
    }

    public static boolean flag(Object value) {
        return value != null && (Boolean) value;
    }

    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof ZonedDateTime zoned) {
            return zoned.toInstant();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalArgumentException("not a timestamp: " + value.getClass());
    }
}
