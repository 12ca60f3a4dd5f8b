package org.myna.platform.problem;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders {@link Problem} as application/problem+json with a stable {@code code} and a type URI. */
public class ProblemMapper {

    public static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");

    @ServerExceptionMapper
    public Response map(Problem problem) {
        return response(problem.status(), problem.code(), problem.getMessage(), problem.extra());
    }

    // No "instance": request paths of the registry may carry an individual number.
    public static Response response(int status, String code, String detail, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", URI.create("https://myna.example/problems/" + code).toString());
        body.put("title", Response.Status.fromStatusCode(status) == null ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase());
        body.put("status", status);
        body.put("code", code);
        body.put("detail", detail);
        body.putAll(extra);
        Response.ResponseBuilder response = Response.status(status).type(PROBLEM_JSON).entity(body);
        if (status == 503) {
            // Busy, insurance unavailable or number space congested: each passes; the circuit breaker lets a probe through within seconds.
            response.header("Retry-After", "1");
        }
        return response.build();
    }
}
