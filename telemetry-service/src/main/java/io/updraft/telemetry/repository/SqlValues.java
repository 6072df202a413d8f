package io.updraft.telemetry.repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Native query columns come back as JDBC or java.time types depending on the driver path; read them one way. */
final class SqlValues {
    private SqlValues() {
    }

    static Instant instant(Object column) {
        if (column == null) {
            return null;
        }
        if (column instanceof Instant instant) {
            return instant;
        }
        if (column instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (column instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + column.getClass());
    }

    static long number(Object column) {
        return ((Number) column).longValue();
    }
}
