package org.myna.platform.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.myna.platform.problem.ProblemMapper;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers 429 rate-limited (problem+json, Retry-After) to an address that has used up its allowance for a
 * {@link RateLimited} endpoint, before the endpoint reads its body or touches the database. The address is the peer's,
 * or, when {@code quarkus.http.proxy.proxy-address-forwarding} is on, the one a trusted proxy forwarded
 * ({@code quarkus.http.proxy.trusted-proxies}); Quarkus ignores forwarding headers from any other peer.
 */
public class RateLimitFilter {

    private final RateLimits limits;
    private final MeterRegistry meters;
    private final Map<Method, String> groups = new ConcurrentHashMap<>();

    public RateLimitFilter(RateLimits limits, MeterRegistry meters) {
        this.limits = limits;
        this.meters = meters;
    }

    @RateLimited
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 100)
    public Optional<Response> limit(ResourceInfo resource, HttpServerRequest request) {
        if (!limits.enabled()) {
            return Optional.empty();
        }
        String group = group(resource);
        if (group == null) {
            return Optional.empty();
        }
        SocketAddress peer = request.remoteAddress();
        String key = RateLimits.clientKey(peer == null ? null : peer.hostAddress());
        return limits.refusal(group, key).map(wait -> {
            // Per group only: an address is not a metric label (unbounded, and personal).
            meters.counter("myna_rate_limited", "group", group).increment();
            return Response.fromResponse(ProblemMapper.response(429, "rate-limited",
                    "Too many requests from this address; retry after the time in Retry-After.", Map.of()))
                    .header("Retry-After", Long.toString(wait.toSeconds())).build();
        });
    }

    private String group(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return null;
        }
        String group = groups.computeIfAbsent(method, m -> {
            RateLimited on = m.getAnnotation(RateLimited.class);
            if (on == null) {
                on = resource.getResourceClass().getAnnotation(RateLimited.class);
            }
            return on == null ? "" : on.value().isEmpty() ? "default" : on.value();
        });
        return group.isEmpty() ? null : group;
    }
}
