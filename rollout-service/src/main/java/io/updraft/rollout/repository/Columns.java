package io.updraft.rollout.repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/** Reads native-query columns whatever Java type the driver and Hibernate chose for them. */
final class Columns {
    private Columns() {
    }

    static String text(Object value) {
        return value == null ? null : value.toString();
    }

    static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    static int integer(Object value) {
        return value == null ? 0 : ((Number) value).intValue();
    }

    static boolean flag(Object value) {
        return value != null && (Boolean) value;
    }

    static Instant instant(Object value) {
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
