package io.updraft.support.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseUnavailableTest {

    @Test
    void aRefusedConnectionBehindHibernateIsTheDatabaseBeingAway() {
        // as PostgreSQL's driver and Hibernate report a stopped server
        SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused.", "08001",
                new ConnectException("Connection refused"));
        assertThat(DatabaseUnavailable.causes(new JDBCConnectionException("Unable to acquire JDBC Connection", refused)))
                .isTrue();
    }

    @Test
    void aLostConnectionAServerShuttingDownAndAnAcquisitionTimeoutAreToo() {
        assertThat(DatabaseUnavailable.causes(new RuntimeException(new SQLException("This connection has been closed.",
                "08003")))).isTrue();
        assertThat(DatabaseUnavailable.causes(new SQLException("terminating connection due to administrator command",
                "57P01"))).isTrue();
        assertThat(DatabaseUnavailable.causes(new SQLException("the database system is starting up", "57P03")))
                .isTrue();
        assertThat(DatabaseUnavailable.causes(new GenericJDBCException("Unable to acquire JDBC Connection",
                new SQLException("Sorry, acquisition timeout!")))).isTrue();
    }

    @Test
    void aStatementThatFailsOnAReachableDatabaseIsNot() {
        SQLException duplicate = new SQLException("duplicate key value violates unique constraint", "23505");
        assertThat(DatabaseUnavailable.causes(new ConstraintViolationException("insert", duplicate, "pk"))).isFalse();
        assertThat(DatabaseUnavailable.causes(new GenericJDBCException("bad", new SQLException("syntax", "42601"))))
                .isFalse();
        assertThat(DatabaseUnavailable.causes(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseUnavailable.causes(null)).isFalse();
    }

    @Test
    void aCommitThatLostItsConnectionIsToo() {
        // as Narayana reports a commit while PostgreSQL shuts down (DatabaseOutageIT, CI 6 Dec): the driver's 57P01 is
        // only the cause of an XAException suppressed by the RollbackException, wrapped by the interceptor
        Exception rollback = new Exception("ARJUNA016053: Could not commit transaction.");
        Exception xa = new Exception("Error trying to transactionCommit local transaction",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        rollback.addSuppressed(xa);
        assertThat(DatabaseUnavailable.causes(new RuntimeException("Error invoking subclass method", rollback)))
                .isTrue();
        // a suppressed failure on a reachable database is still not an outage
        Exception other = new Exception("Could not commit transaction.");
        other.addSuppressed(new SQLException("duplicate key value violates unique constraint", "23505"));
        assertThat(DatabaseUnavailable.causes(new RuntimeException(other))).isFalse();
    }

    @Test
    void aCauseChainWithACycleEnds() {
        RuntimeException first = new RuntimeException("a");
        RuntimeException second = new RuntimeException("b", first);
        first.initCause(second);
        assertThat(DatabaseUnavailable.causes(second)).isFalse();
    }
}
