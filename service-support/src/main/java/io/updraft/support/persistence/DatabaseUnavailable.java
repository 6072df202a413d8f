package io.updraft.support.persistence;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Whether a failure means the database could not be reached — refused or lost connections, a server shutting down or
 * starting, no pooled connection within the acquisition timeout — as opposed to a statement that failed on a
 * reachable database. The first kind passes when the database is back: a request is answered 503 + Retry-After and a
 * consumed record is applied again later instead of being parked. Everything else stays a failure (a 500, a parked
 * record): this test is narrow on purpose, so real bugs are not hidden as outages.
 */
public final class DatabaseUnavailable {
    /** Agroal's message when no connection became free within the acquisition timeout (it carries no SQLState). */
    static final String ACQUISITION_TIMEOUT = "Sorry, acquisition timeout!";

    private DatabaseUnavailable() {
    }

    /**
     * True if {@code failure}, one of its causes, or one of their suppressed exceptions says the database could not be
     * reached. Suppressed ones count because a commit that loses its connection surfaces as the transaction manager's
     * {@code RollbackException} ("Could not commit"), with the driver's 57P01 only as a suppressed XAException's cause.
     */
    public static boolean causes(Throwable failure) {
        return causes(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean causes(Throwable failure, Set<Throwable> seen) {
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && (connectionState(sql.getSQLState())
                    || ACQUISITION_TIMEOUT.equals(sql.getMessage()))) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (causes(suppressed, seen)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * SQLState class 08 (connection exception: refused, lost, closed) and PostgreSQL's 57P01-57P03 (the server is
     * shutting down, crashed, or not accepting connections yet).
     */
    static boolean connectionState(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }
}
