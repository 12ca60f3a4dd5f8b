package org.myna.registry.card;

import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PessimisticLockException;
import jakarta.ws.rs.core.Response;
import org.hibernate.exception.LockAcquisitionException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.myna.registry.common.ProblemMapper;

import java.util.Map;

/** A row lock not obtained in time (many concurrent activations of one resident's cards): retry, not a 500. */
public class LockProblemMapper {

    @ServerExceptionMapper({PessimisticLockException.class, LockTimeoutException.class, LockAcquisitionException.class})
    public Response locked(RuntimeException e) {
        return ProblemMapper.response(409, "concurrent-update", "The record is being changed by another request; retry.", Map.of());
    }
}
