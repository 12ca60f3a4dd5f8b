package org.myna.platform.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * A declared body over quarkus.http.limits.max-body-size on the JSON APIs: 413 {@code body-too-large} as a problem.
 * Quarkus's own check (the route just after this one) answers an empty 413 before any JAX-RS mapper could run; this
 * one runs first with the same limit, and makes sure the client reads the answer:
 * <ul>
 * <li>HTTP/2 (h2c, which the JDK's client and curl --http2 speak): only the request's stream ends. Closing the connection,
 * as Quarkus does, sent a GOAWAY that every JDK client took for "no answer" (300 of 300).</li>
 * <li>HTTP/1.1: the connection must close (the rest of the body would be read as the next request), but only once the
 * client has stopped sending or after {@link #LINGER_MS}: a close while the client was still writing lost the 413 for
 * 17 of 300 JDK clients (a broken pipe or "header parser received no bytes"). The discarded bytes are bounded by that
 * time; the body is never buffered.</li>
 * </ul>
 */
@ApplicationScoped
public class BodyLimitRoute {

    static final String BODY = "{\"type\":\"https://myna.example/problems/body-too-large\",\"title\":\"Request Entity Too Large\","
            + "\"status\":413,\"code\":\"body-too-large\",\"detail\":\"The request body exceeds this service's limit.\"}";
    /** How long an HTTP/1.1 connection keeps reading (and dropping) a refused body before it closes. */
    static final long LINGER_MS = 2_000;

    void install(@Observes Router router, @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit) {
        if (limit.isEmpty()) {
            return;
        }
        long max = limit.get().asLongValue();
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            String path = ctx.normalizedPath();
            if (length != null && (path.startsWith("/api/") || path.startsWith("/oauth2/")) && tooLong(length, max)) {
                HttpServerRequest request = ctx.request();
                HttpServerResponse response = ctx.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json");
                if (request.version() != HttpVersion.HTTP_2) {
                    response.putHeader(HttpHeaders.CONNECTION, "close");
                    response.endHandler(sent -> lingerThenClose(ctx.vertx(), request));
                    if (!request.isEnded()) {
                        request.handler(dropped -> { });
                        request.resume();
                    }
                }
                response.end(BODY);
                return;
            }
            ctx.next();
        });
    }

    private static void lingerThenClose(Vertx vertx, HttpServerRequest request) {
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        long timer = vertx.setTimer(LINGER_MS, t -> request.connection().close());
        request.endHandler(end -> {
            vertx.cancelTimer(timer);
            request.connection().close();
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
