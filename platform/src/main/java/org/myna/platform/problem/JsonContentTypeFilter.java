package org.myna.platform.problem;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON API method that declares no {@code @Consumes} reads JSON: a body of another type is a 415, as RESTEasy answers
 * for the methods that do declare one. Without this, RESTEasy handed a text/plain body to the JSON reader anyway.
 */
public class JsonContentTypeFilter {

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 50)
    public Optional<Response> requireJson(ResourceInfo resource, HttpServerRequest request) {
        Method method = resource.getResourceMethod();
        if (method == null || !hasBody(request) || method.isAnnotationPresent(Consumes.class)
                || method.getDeclaringClass().isAnnotationPresent(Consumes.class)) {
            return Optional.empty();
        }
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null) {
            try {
                MediaType media = MediaType.valueOf(type);
                if (media.getType().equals("application") && (media.getSubtype().equals("json") || media.getSubtype().endsWith("+json"))) {
                    return Optional.empty();
                }
            } catch (IllegalArgumentException malformed) {
                // falls through to the 415
            }
        }
        return Optional.of(ProblemMapper.response(415, "unsupported-media-type", RequestProblemMapper.detailOf(415), Map.of()));
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.trim().equals("0")) || request.getHeader("Transfer-Encoding") != null;
    }
}
