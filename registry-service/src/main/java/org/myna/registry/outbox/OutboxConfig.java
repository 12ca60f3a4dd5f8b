package org.myna.registry.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

@ConfigMapping(prefix = "registry.outbox")
public interface OutboxConfig {

    /** Subscribers by audience (wallet, insurance): where their POST /api/events lives. */
    Map<String, Subscriber> subscribers();

    /**
     * How often the dispatcher runs ("off" in tests, which drive it by hand); read by @Scheduled. Each pass also sends
     * every subscriber its low watermark, so the interval plus {@link #commitLag} bounds how fresh a subscriber can be.
     */
    @WithDefault("250ms")
    String interval();

    /** How long after start the first pass waits (read by @Scheduled): not competing with the start for the cores. */
    @WithDefault("2s")
    String initialDelay();

    /**
     * The low watermark's margin for transactions still committing: an event is stamped when its transaction writes
     * it and becomes visible at commit, so "every event before T was delivered" holds only for T at least this far in
     * the past. Transactions that publish events are short (one resident's change); this must exceed their commit time.
     */
    @WithDefault("PT0.5S")
    Duration commitLag();

    /** How long the dispatcher's lease lasts without renewal (another replica takes over after it). */
    @WithDefault("PT5S")
    Duration lease();

    @WithDefault("200")
    int batchSize();

    /** First retry delay; doubles per attempt up to maxBackoff. */
    @WithDefault("PT1S")
    Duration initialBackoff();

    @WithDefault("PT5M")
    Duration maxBackoff();

    interface Subscriber {
        String url();

        /**
         * True for a subscriber that keeps a replica of its members' card standing (the insurance service answers
         * clinics' card checks from it): it also gets card-issued, card-activated and card-standing events, and every
         * card event names the card by its authentication certificate's SHA-256 ({@code certificateHash}), which it
         * computes itself from the certificate a card presents.
         */
        @WithDefault("false")
        boolean cardStates();

        /**
         * True for the wallet: it gets {@link Outbox#ELIGIBILITY_FACTS} events (whether the person's card is active and a
         * public-fund account is registered, read when the event is delivered) whenever one of them may have changed, and
         * one when its link code for the person is created; it answers grants from them while its feed is fresh.
         */
        @WithDefault("false")
        boolean eligibilityFacts();
    }
}
