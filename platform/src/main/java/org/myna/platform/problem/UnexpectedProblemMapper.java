package org.myna.platform.problem;

import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * Whatever no other mapper claims: a 500 problem that says nothing of the cause. The log gets the type and the stack
 * but not the message, which may quote a request value (a secret, a number).
 */
public class UnexpectedProblemMapper {

    private static final Logger LOG = Logger.getLogger(UnexpectedProblemMapper.class);

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return internal(e);
    }

    static Response internal(Throwable e) {
        RuntimeException withoutMessage = new RuntimeException(e.getClass().getName() + " (message withheld)");
        withoutMessage.setStackTrace(e.getStackTrace());
        LOG.error("unexpected exception", withoutMessage);
        return ProblemMapper.response(500, "internal-error", "The request could not be processed.", Map.of());
    }
}
