package org.myna.wallet.common;

import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PessimisticLockException;
import jakarta.ws.rs.core.Response;
import org.hibernate.StaleStateException;
import org.hibernate.exception.LockAcquisitionException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** Two writers on one row: the loser gets a 409 to retry, never a 500. */
public class PersistenceProblemMapper {

    @ServerExceptionMapper({OptimisticLockException.class, StaleStateException.class, PessimisticLockException.class,
            LockTimeoutException.class, LockAcquisitionException.class})
    public Response concurrent(RuntimeException e) {
        return ProblemMapper.response(409, "concurrent-update", "The record changed meanwhile; read it again and retry.", Map.of());
    }
}
