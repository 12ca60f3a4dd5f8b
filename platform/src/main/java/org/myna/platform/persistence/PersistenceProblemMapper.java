package org.myna.platform.persistence;

import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.PessimisticLockException;
import jakarta.ws.rs.core.Response;
import org.hibernate.StaleStateException;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.LockAcquisitionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.myna.platform.problem.ProblemMapper;

import java.sql.SQLException;
import java.util.Map;

/**
 * Two writers on one row: the loser gets a 409 to retry, never a 500; an exhausted connection pool is a 503; a database
 * that failed (closed, unreachable) is a 503 with its cause logged in full, never a data rejection.
 */
public class PersistenceProblemMapper {

    private static final Logger LOG = Logger.getLogger(PersistenceProblemMapper.class);

    @ServerExceptionMapper({OptimisticLockException.class, StaleStateException.class})
    public Response concurrent(RuntimeException e) {
        return ProblemMapper.response(409, "concurrent-update", "The record changed meanwhile; read it again and retry.", Map.of());
    }

    /** A row lock not obtained in time (many concurrent requests on one resident's rows): retry, not a 500. */
    @ServerExceptionMapper({PessimisticLockException.class, LockTimeoutException.class, LockAcquisitionException.class})
    public Response locked(RuntimeException e) {
        return ProblemMapper.response(409, "concurrent-update", "The record is being changed by another request; retry.", Map.of());
    }

    /**
     * Agroal reports a pool that stayed empty for its acquisition timeout as a plain SQLException with this message
     * (no SQLState), which Hibernate wraps as a GenericJDBCException: that is overload, "retry shortly", not a fault.
     */
    @ServerExceptionMapper(GenericJDBCException.class)
    public Response jdbc(GenericJDBCException e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null && t.getMessage().contains("acquisition timeout")) {
                return ProblemMapper.response(503, "busy", "This node has no free database connection; retry in a second.", Map.of());
            }
        }
        return failed(e);
    }

    /** Whatever else the persistence layer threw; a constraint a service expects is settled where it writes. */
    @ServerExceptionMapper(PersistenceException.class)
    public Response persistence(PersistenceException e) {
        return failed(e);
    }

    private static Response failed(RuntimeException e) {
        if (Constraints.infrastructure(e)) {
            LOG.error("database unavailable", e);
            return ProblemMapper.response(503, "database-unavailable", "The database cannot serve this request now; retry shortly.", Map.of());
        }
        // The driver's message would name the values of a clash (a link code, a token id): types and states only.
        LOG.errorf("database error: %s", Constraints.describe(e));
        return ProblemMapper.response(500, "internal-error", "An unexpected error occurred.", Map.of());
    }
}
