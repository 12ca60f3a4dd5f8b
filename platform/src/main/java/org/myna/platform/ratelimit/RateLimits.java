package org.myna.platform.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One resilience4j {@link RateLimiter} per (group, client address), kept in a bounded Caffeine cache. An entry idle
 * for longer than its period is full again anyway, so expiring it loses nothing; the size bound forgets the least
 * used addresses first, which can only give them a fresh allowance, never refuse anyone else.
 */
@ApplicationScoped
public class RateLimits {

    private final RateLimitConfig config;
    private final Supplier<Long> nanoTime;
    private final Map<String, RateLimiterConfig> groups = new ConcurrentHashMap<>();
    private final Map<String, Cache<String, RateLimiter>> limiters = new ConcurrentHashMap<>();

    @Inject
    public RateLimits(RateLimitConfig config) {
        this(config, System::nanoTime);
    }

    /** With a clock of our own, for tests. */
    RateLimits(RateLimitConfig config, Supplier<Long> nanoTime) {
        this.config = config;
        this.nanoTime = nanoTime;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /**
     * Takes one permission for this address in this group. Empty when granted; otherwise how long until the next
     * permission (at least one second, the resolution of Retry-After).
     */
    public Optional<Duration> refusal(String group, String clientKey) {
        RateLimiterConfig limits = groups.computeIfAbsent(group, this::limitsOf);
        Cache<String, RateLimiter> cache = limiters.computeIfAbsent(group, g -> Caffeine.newBuilder()
                .maximumSize(config.maxTrackedAddresses())
                .expireAfterAccess(limits.getLimitRefreshPeriod())
                .build());
        AtomicRateLimiter limiter = (AtomicRateLimiter) cache.get(clientKey, k -> new AtomicRateLimiter(group, limits, nanoTime));
        if (limiter.acquirePermission()) {
            return Optional.empty();
        }
        long nanos = Math.max(limiter.getDetailedMetrics().getNanosToWait(), 1);
        return Optional.of(Duration.ofSeconds(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L)));
    }

    /** How many addresses this group tracks now (after pending evictions). */
    long tracked(String group) {
        Cache<String, RateLimiter> cache = limiters.get(group);
        if (cache == null) {
            return 0;
        }
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private RateLimiterConfig limitsOf(String group) {
        RateLimitConfig.Group g = config.groups().get(group);
        int limit = g != null && g.limit().isPresent() ? g.limit().getAsInt() : config.defaultLimit();
        Duration period = g != null && g.period().isPresent() ? g.period().get() : config.defaultPeriod();
        // No waiting: a request over the limit is answered 429 at once, never parked on a thread.
        return RateLimiterConfig.custom().limitForPeriod(limit).limitRefreshPeriod(period).timeoutDuration(Duration.ZERO).build();
    }

    /**
     * The key of a client address: an IPv4 address as it is; an IPv6 address by its /64 network, since one subscriber
     * is usually given a whole /64 and could otherwise take a fresh allowance with every address of it.
     */
    public static String clientKey(String hostAddress) {
        if (hostAddress == null || hostAddress.isEmpty()) {
            return "unknown";
        }
        if (hostAddress.indexOf(':') < 0) {
            return hostAddress;
        }
        try {
            // A literal (the socket's own address, or one parsed by the forwarding parser): no name lookup happens.
            InetAddress address = InetAddress.getByName(stripBrackets(hostAddress));
            if (address instanceof Inet6Address v6) {
                byte[] network = Arrays.copyOf(v6.getAddress(), 16);
                Arrays.fill(network, 8, 16, (byte) 0);
                return InetAddress.getByAddress(network).getHostAddress() + "/64";
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            return hostAddress;
        }
    }

    private static String stripBrackets(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int zone = h.indexOf('%');
        return zone < 0 ? h : h.substring(0, zone);
    }
}
