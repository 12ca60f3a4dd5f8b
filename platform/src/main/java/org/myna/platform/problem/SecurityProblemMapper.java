package org.myna.platform.problem;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * 401 and 403 as problem+json that say nothing about why a token failed (expired, forged, wrong audience look
 * alike to the caller). Replaces the problem extension's security mappers, which break on Quarkus 3.33.
 */
public class SecurityProblemMapper {

    @ServerExceptionMapper(value = {AuthenticationFailedException.class, UnauthorizedException.class}, priority = Priorities.USER - 100)
    public Response unauthorized(RuntimeException e) {
        Response r = ProblemMapper.response(401, "unauthorized", "A valid bearer token is required.", Map.of());
        return Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper(value = ForbiddenException.class, priority = Priorities.USER - 100)
    public Response forbidden(ForbiddenException e) {
        return ProblemMapper.response(403, "forbidden", "This client's role may not use this endpoint.", Map.of());
    }
}
