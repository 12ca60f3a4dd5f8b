package org.myna.platform.persistence;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import org.h2.api.ErrorCode;
import org.h2.message.DbException;
import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A database that failed is never taken for data its constraints refused. */
class ConstraintsTest {

    /** What H2 2.4.240 threw once the session behind an IN check was closed (h2database #4302). */
    static SQLException checkOnAClosedSession() {
        return DbException.get(ErrorCode.CHECK_CONSTRAINT_INVALID, DbException.get(ErrorCode.DATABASE_IS_CLOSED),
                "ck_some_status: ").getSQLException();
    }

    static SQLException checkViolated() {
        return DbException.get(ErrorCode.CHECK_CONSTRAINT_VIOLATED_1, "ck_some_status").getSQLException();
    }

    @Test
    void aCheckTheEngineCouldNotEvaluateIsAnInfrastructureFailureNotARefusal() {
        RuntimeException e = new ConstraintViolationException("could not execute statement", checkOnAClosedSession(), "ck_some_status");
        assertThat(Constraints.infrastructure(e)).isTrue();
        assertThat(Constraints.integrity(e)).isFalse();
        assertThat(Constraints.violated(e, "ck_some_status")).isFalse();
    }

    @Test
    void theFailureIsFoundBehindABatchsNextException() {
        BatchUpdateException batch = new BatchUpdateException("batch failed", "23514", 0, new int[0]);
        batch.setNextException(checkOnAClosedSession());
        assertThat(Constraints.infrastructure(new PersistenceException("batch chunk failed", batch))).isTrue();
    }

    @Test
    void aRealViolationStaysARefusal() {
        RuntimeException e = new ConstraintViolationException("could not execute statement", checkViolated(), "ck_some_status");
        assertThat(Constraints.infrastructure(e)).isFalse();
        assertThat(Constraints.integrity(e)).isTrue();
        assertThat(Constraints.violated(e, "ck_some_status")).isTrue();
    }

    @Test
    void anInfrastructureFailureIsA503WithACode() {
        Response response = new PersistenceProblemMapper().persistence(
                new ConstraintViolationException("could not execute statement", checkOnAClosedSession(), "ck_some_status"));
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) response.getEntity();
        assertThat(body).containsEntry("code", "database-unavailable");
    }

    @Test
    void aFailureIsDescribedByTypesAndStatesWithoutTheDriversValues() {
        SQLException clash = DbException.get(ErrorCode.DUPLICATE_KEY_1, "PUBLIC.UQ ON PUBLIC.T(JTI) VALUES ( /* 1 */ 'secret-jti' )").getSQLException();
        String described = Constraints.describe(new ConstraintViolationException("could not execute statement", clash, "uq_t_jti"));
        assertThat(described).contains("ConstraintViolationException", "uq_t_jti", "SQLState 23505").doesNotContain("secret-jti");
    }
}
