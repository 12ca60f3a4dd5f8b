package org.myna.portal.resident;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The recheck period: the registry is asked again once it has passed, never later, and always the first time. */
class ResidentGuardTest {

    private final ResidentGuard guard = new ResidentGuard(null, null, Duration.ofSeconds(5), Clock.systemUTC());

    @Test
    void theCardIsAskedAboutTheFirstTimeAndAgainOnceThePeriodHasPassed() {
        Instant checked = Instant.parse("2026-12-07T05:00:00Z");
        assertThat(guard.due(null, checked)).isTrue();
        assertThat(guard.due(checked, checked)).isFalse();
        assertThat(guard.due(checked, checked.plusMillis(4_999))).isFalse();
        assertThat(guard.due(checked, checked.plusSeconds(5))).isTrue();
        assertThat(guard.due(checked, checked.plusSeconds(3600))).isTrue();
    }

    @Test
    void aZeroPeriodAsksOnEveryRequest() {
        ResidentGuard every = new ResidentGuard(null, null, Duration.ZERO, Clock.systemUTC());
        Instant now = Instant.now();
        assertThat(every.due(now, now)).isTrue();
    }
}
