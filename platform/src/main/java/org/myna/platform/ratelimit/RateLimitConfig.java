package org.myna.platform.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Per-address limits of the {@link RateLimited} endpoints. Each group allows {@code limit} requests per address in
 * each {@code period} (resilience4j's fixed refresh cycle). Counters live in this process: with N replicas behind a
 * load balancer an address gets up to N times the limit.
 */
@ConfigMapping(prefix = "rate-limit")
public interface RateLimitConfig {

    /** Off only where one address legitimately sends everything: tests and benchmarks on one machine. */
    @WithDefault("true")
    boolean enabled();

    /** A group without its own limit allows this many requests per address and period. */
    @WithDefault("20")
    int defaultLimit();

    @WithDefault("PT1S")
    Duration defaultPeriod();

    /**
     * Addresses (per group) tracked at once. Beyond it the least used are forgotten, which only ever gives an address a
     * fresh allowance: memory stays bounded under a flood of distinct addresses (a few hundred bytes each).
     */
    @WithDefault("20000")
    int maxTrackedAddresses();

    Map<String, Group> groups();

    interface Group {
        OptionalInt limit();

        Optional<Duration> period();
    }
}
