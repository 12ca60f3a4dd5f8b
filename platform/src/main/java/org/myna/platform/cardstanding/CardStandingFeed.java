package org.myna.platform.cardstanding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * How current this service's copy of the registry's card events is (DESIGN §6.7). The registry's dispatcher sends a
 * low watermark after each pass: every event committed before it has been delivered here. Staleness is the lag the
 * registry declared ({@code asOf - watermark}, both on its clock) plus the time since receipt on this service's own
 * clock, so no two clocks are ever compared. Until the first watermark arrives the copy counts as stale.
 */
@ApplicationScoped
public class CardStandingFeed {

    private record Mark(long lagNanos, long receivedAtNanos) {
    }

    private static final Duration FOREVER = Duration.ofDays(365_000);

    private final Duration maxStaleness;
    private final boolean failClosed;
    private final Counter fallbacks;
    private volatile Mark mark;

    public CardStandingFeed(@ConfigProperty(name = "myna.card-standing.max-staleness", defaultValue = "PT2S") Duration maxStaleness,
                            @ConfigProperty(name = "myna.card-standing.fail-closed", defaultValue = "true") boolean failClosed,
                            MeterRegistry meters) {
        this.maxStaleness = maxStaleness;
        this.failClosed = failClosed;
        this.fallbacks = Counter.builder("myna.card-standing.fallbacks")
                .description("Resident tokens judged by asking the registry because the card-event feed was stale")
                .register(meters);
        Gauge.builder("myna.card-standing.staleness", this, feed -> feed.staleness().toMillis())
                .description("Milliseconds since the newest moment up to which every card event has been received")
                .baseUnit("milliseconds").register(meters);
    }

    /** Records a watermark from the registry; an older one than already known (a late redelivery) changes nothing. */
    public void watermark(OffsetDateTime watermark, OffsetDateTime asOf) {
        long lag = Math.max(0, Duration.between(watermark, asOf).toNanos());
        long now = System.nanoTime();
        synchronized (this) {
            Mark current = mark;
            if (current == null || now - lag > current.receivedAtNanos() - current.lagNanos()) {
                mark = new Mark(lag, now);
            }
        }
    }

    /** How far behind the registry this copy may be; "forever" before the first watermark. */
    public Duration staleness() {
        Mark current = mark;
        if (current == null) {
            return FOREVER;
        }
        return Duration.ofNanos(current.lagNanos() + (System.nanoTime() - current.receivedAtNanos()));
    }

    /** True when a token must be judged by the registry itself: the copy is older than the bound. */
    public boolean mustAskRegistry() {
        return failClosed && staleness().compareTo(maxStaleness) > 0;
    }

    /**
     * True while the copy is within its bound, whatever {@code fail-closed} says: a replica built from the events (the
     * insurance service's card replica) may answer only then; otherwise the registry is asked.
     */
    public boolean fresh() {
        return staleness().compareTo(maxStaleness) <= 0;
    }

    void countFallback() {
        fallbacks.increment();
    }
}
