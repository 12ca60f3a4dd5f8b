package org.myna.platform.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * A declared body over quarkus.http.limits.max-body-size on the JSON APIs: 413 {@code body-too-large} as a problem.
 * Quarkus's own check (the route just after this one) answers an empty 413 before any JAX-RS mapper could run; this
 * one runs first with the same limit and closes the connection as Quarkus does, before the body travels.
 */
@ApplicationScoped
public class BodyLimitRoute {

    static final String BODY = "{\"type\":\"https://myna.example/problems/body-too-large\",\"title\":\"Request Entity Too Large\","
            + "\"status\":413,\"code\":\"body-too-large\",\"detail\":\"The request body exceeds this service's limit.\"}";

    void install(@Observes Router router, @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit) {
        if (limit.isEmpty()) {
            return;
        }
        long max = limit.get().asLongValue();
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            String path = ctx.normalizedPath();
            if (length != null && (path.startsWith("/api/") || path.startsWith("/oauth2/")) && tooLong(length, max)) {
                // As Quarkus does: the client may still be sending (or waiting for 100 Continue); only a close ends it.
                ctx.response().endHandler(done -> ctx.request().connection().close());
                ctx.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(BODY);
                return;
            }
            ctx.next();
        });
    }

    private static boolean tooLong(String length, long max) {
        try {
            return Long.parseLong(length.trim()) > max;
        } catch (NumberFormatException e) {
            return false; // Vert.x refuses a malformed Content-Length itself
        }
    }
}
