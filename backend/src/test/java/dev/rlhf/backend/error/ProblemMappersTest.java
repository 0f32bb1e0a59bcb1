package dev.rlhf.backend.error;

import jakarta.ws.rs.core.Response;
import org.hibernate.exception.DataException;
import org.hibernate.exception.GenericJDBCException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemMappersTest {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void anExhaustedConnectionPoolIsA503WithRetryAfterNotA500() {
        Response response = mappers.unexpected(
                new GenericJDBCException("Unable to acquire JDBC Connection", new SQLException("Sorry, acquisition timeout!")), null);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(((Problem) response.getEntity()).detail()).contains("nothing was stored");
    }

    @Test
    void aLostDatabaseConnectionIsA503() {
        Response response = mappers.unexpected(new RuntimeException(new SQLException("connection refused", "08001")), null);
        assertThat(response.getStatus()).isEqualTo(503);
    }

    @Test
    void anyOtherFailureIsA500ThatNamesAnIncidentButNoInternals() {
        Response response = mappers.unexpected(new IllegalStateException("secret internal detail"), null);
        assertThat(response.getStatus()).isEqualTo(500);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.detail()).contains("incident").doesNotContain("secret").doesNotContain("IllegalStateException");
    }

    @Test
    void dataTheDatabaseRefusesIsA400WhereverItIsWrapped() {
        SQLException nul = new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
        Response response = mappers.unexpected(new IllegalStateException("storing failed",
                new DataException("JDBC exception executing SQL", nul)), null);
        assertThat(response.getStatus()).isEqualTo(400);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.detail()).contains("not valid data").doesNotContain("UTF8").doesNotContain("SQL");
    }

    @Test
    void aUniqueViolationIsA409EvenWhenWrappedByHibernate() {
        SQLException duplicate = new SQLException("ERROR: duplicate key value violates unique constraint \"account_username_key\"", "23505");
        Response response = mappers.unexpected(new RuntimeException(
                new org.hibernate.exception.ConstraintViolationException("could not execute statement", duplicate, "account_username_key")), null);
        assertThat(response.getStatus()).isEqualTo(409);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.detail()).contains("already taken").doesNotContain("account_username_key");
    }

    @Test
    void otherIntegrityViolationsStayUnexpected() {
        Response response = mappers.unexpected(new SQLException("ERROR: null value in column", "23502"), null);
        assertThat(response.getStatus()).isEqualTo(500);
    }
}
