package io.updraft.support.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import jakarta.ws.rs.core.Response;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {
    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void aDatabaseThatCannotBeReachedIs503WithRetryAfterAndAProblemBody() {
        // given what Hibernate throws while PostgreSQL is stopped
        JDBCConnectionException refused = new JDBCConnectionException("Unable to acquire JDBC Connection",
                new SQLException("Connection to 127.0.0.1:5432 refused.", "08001", new ConnectException("refused")));

        Response response = mappers.persistence(refused);

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo(
                String.valueOf(ProblemMappers.DATABASE_RETRY_AFTER_SECONDS));
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(((Problem) response.getEntity()).status()).isEqualTo(503);
    }

    @Test
    void anyOtherPersistenceFailureStaysA500() {
        ConstraintViolationException duplicate = new ConstraintViolationException("insert",
                new SQLException("duplicate key value violates unique constraint", "23505"), "pk");

        Response response = mappers.persistence(duplicate);

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getHeaderString("Retry-After")).isNull();
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
    }
}
