package org.myna.platform.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-address allowance: refused past the limit with the wait until the next period, per address, bounded. */
class RateLimitsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    private static RateLimitConfig config(int limit, Duration period, int maxTracked) {
        return new RateLimitConfig() {
            public boolean enabled() {
                return true;
            }

            public int defaultLimit() {
                return 1000;
            }

            public Duration defaultPeriod() {
                return Duration.ofSeconds(1);
            }

            public int maxTrackedAddresses() {
                return maxTracked;
            }

            public Map<String, Group> groups() {
                return Map.of("login", new Group() {
                    public OptionalInt limit() {
                        return OptionalInt.of(limit);
                    }

                    public Optional<Duration> period() {
                        return Optional.of(period);
                    }
                });
            }
        };
    }

    @Test
    void anAddressPastItsLimitIsRefusedUntilTheNextPeriodAndThenServedAgain() {
        RateLimits limits = new RateLimits(config(3, Duration.ofSeconds(10), 100), now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.refusal("login", "198.51.100.7")).isEmpty();
        }
        Optional<Duration> refused = limits.refusal("login", "198.51.100.7");
        assertThat(refused).isPresent();
        assertThat(refused.get()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));

        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(limits.refusal("login", "198.51.100.7").orElseThrow()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(6));

        now.addAndGet(Duration.ofSeconds(7).toNanos());
        assertThat(limits.refusal("login", "198.51.100.7")).isEmpty();
    }

    @Test
    void addressesAndGroupsHaveTheirOwnAllowance() {
        RateLimits limits = new RateLimits(config(1, Duration.ofMinutes(1), 100), now::get);
        assertThat(limits.refusal("login", "198.51.100.7")).isEmpty();
        assertThat(limits.refusal("login", "198.51.100.7")).isPresent();
        assertThat(limits.refusal("login", "198.51.100.8")).isEmpty();
        // another group falls back to the default limit (1000 per second)
        assertThat(limits.refusal("other", "198.51.100.7")).isEmpty();
    }

    @Test
    void oneIpv6SubscriberNetworkSharesOneAllowance() {
        assertThat(RateLimits.clientKey("2001:db8:1:2:aaaa::1")).isEqualTo(RateLimits.clientKey("2001:db8:1:2:bbbb:cccc:dddd:eeee"));
        assertThat(RateLimits.clientKey("2001:db8:1:2::1")).isNotEqualTo(RateLimits.clientKey("2001:db8:1:3::1"));
        assertThat(RateLimits.clientKey("[2001:db8:1:2::1]")).isEqualTo(RateLimits.clientKey("2001:db8:1:2::9"));
        assertThat(RateLimits.clientKey("::ffff:198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(RateLimits.clientKey("198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(RateLimits.clientKey(null)).isEqualTo("unknown");
    }

    @Test
    void aFloodOfDistinctAddressesKeepsMemoryBounded() {
        RateLimits limits = new RateLimits(config(5, Duration.ofMinutes(1), 1000), now::get);
        for (int i = 0; i < 20_000; i++) {
            limits.refusal("login", "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }
        assertThat(limits.tracked("login")).isLessThanOrEqualTo(1000);
    }
}
