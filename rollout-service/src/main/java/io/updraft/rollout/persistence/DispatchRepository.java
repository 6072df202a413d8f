package io.updraft.rollout.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * The statements of the command dispatcher ({@code CommandDispatcher}): each of its turns is one JDBC transaction on
 * one connection, in which it locks the next waiting wave's {@code command_dispatch} row, reads the installs created in
 * the previous turn, creates the next chunk (on a second thread, on the same connection) and moves the row's cursors.
 */
@ApplicationScoped
public class DispatchRepository {
    @Inject
    DataSource dataSource;

    /** What a turn does with its transaction; it may throw anything, which rolls the transaction back. */
    @FunctionalInterface
    public interface TurnWork {
        int run(DispatchTurn turn) throws Exception;
    }

    /** Runs {@code work} in a transaction of its own: committed if it returns, rolled back if it throws. */
    public int inTransaction(TurnWork work) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int result = work.run(new DispatchTurn(connection));
                connection.commit();
                return result;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
