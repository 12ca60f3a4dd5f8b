package org.myna.platform.cardstanding;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Which resident tokens the registry's card events have voided. A token names its card (claim "card", this
 * service's reference for it): a token of a revoked card is void for good, one of a suspended card until the
 * card-resumed event. A token without the claim, or an event without a card, is judged by time instead: issued no
 * later than the event's second (JWT times are whole seconds; in doubt, refuse). The registry, which knows its cards
 * itself, replaces it as the {@link CardStandingCheck}; a service that consumes the events needs table card_standing.
 */
@ApplicationScoped
@DefaultBean
public class CardStandings implements CardStandingCheck {

    private final CardStandingFeed feed;
    private final Instance<CardStandingFallback> fallback;
    /**
     * Cards the registry itself called good, for half the feed's bound: while the feed is stale, a resident's requests
     * cost one registry call per card per half-bound, not one each, and a revocation is still seen within the bound.
     */
    private final Cache<String, Boolean> confirmedGood;

    public CardStandings(CardStandingFeed feed, Instance<CardStandingFallback> fallback) {
        this.feed = feed;
        this.fallback = fallback;
        this.confirmedGood = Caffeine.newBuilder().expireAfterWrite(feed.maxStaleness().dividedBy(2))
                .maximumSize(100_000).build();
    }

    public static final String CARD_REVOKED = "card-revoked";
    public static final String CARD_SUSPENDED = "card-suspended";
    public static final String CARD_RESUMED = "card-resumed";

    /** Applies a card event in the caller's transaction (the one that records the event once). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(String type, String linkCode, String cardRef, OffsetDateTime at) {
        String card = cardRef == null ? CardStanding.ANY_CARD : cardRef;
        switch (type) {
            case CARD_REVOKED -> set(linkCode, card, CardStanding.REVOKED, at);
            case CARD_SUSPENDED -> set(linkCode, card, CardStanding.SUSPENDED, at);
            case CARD_RESUMED -> resume(linkCode, card, at);
            default -> {
            }
        }
    }

    private static void set(String linkCode, String card, String status, OffsetDateTime at) {
        CardStanding.Key key = new CardStanding.Key(linkCode, card);
        CardStanding row = CardStanding.findById(key, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            row = new CardStanding();
            row.key = key;
            row.status = status;
            row.since = at;
            row.persist();
        } else if (CardStanding.REVOKED.equals(row.status)) {
            // final; a later revocation of "some card" voids tokens up to its own time
            if (CardStanding.REVOKED.equals(status) && at.isAfter(row.since)) {
                row.since = at;
            }
        } else if (CardStanding.REVOKED.equals(status) || at.isAfter(row.since)) {
            row.status = status;
            row.since = at;
        }
    }

    private static void resume(String linkCode, String card, OffsetDateTime at) {
        List<CardStanding> suspended = CardStanding.<CardStanding>find(
                        "key.linkCode = ?1 and status = ?2" + (CardStanding.ANY_CARD.equals(card) ? "" : " and key.cardRef = ?3"),
                        CardStanding.ANY_CARD.equals(card) ? new Object[]{linkCode, CardStanding.SUSPENDED}
                                : new Object[]{linkCode, CardStanding.SUSPENDED, card})
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
        for (CardStanding row : suspended) {
            if (at.isAfter(row.since)) {
                row.status = CardStanding.RESUMED;
                row.since = at;
            }
        }
    }

    /**
     * The events already received decide first: a voided token stays void. Otherwise, when the copy of the events is
     * older than its bound, the registry is asked (DESIGN §6.7: a revocation whose event is late must not let the old
     * token through); if it cannot answer, the token is refused with 503 and the caller retries.
     */
    @Override
    public Optional<Refusal> refusal(String subject, String card, long issuedAtSeconds) {
        if (subject == null) {
            return Optional.empty();
        }
        Optional<Refusal> known = voided(subject, card, issuedAtSeconds).map(CardStandings::refusalFor);
        if (known.isPresent() || !feed.mustAskRegistry()) {
            return known;
        }
        String key = subject + ' ' + card;
        if (confirmedGood.getIfPresent(key) != null) {
            return Optional.empty();
        }
        feed.countFallback();
        try {
            Optional<Refusal> refusal = CardStandingFallback.voiding(fallback.get().standing(subject, card))
                    .map(CardStandings::refusalFor);
            if (refusal.isEmpty()) {
                confirmedGood.put(key, Boolean.TRUE);
            }
            return refusal;
        } catch (RuntimeException e) {
            return Optional.of(new Refusal(503, "card-standing-unavailable",
                    "The card's standing cannot be confirmed with the registry right now; retry shortly."));
        }
    }

    public static Refusal refusalFor(String code) {
        return new Refusal(code, switch (code) {
            case CARD_REVOKED -> "The card this token was made with has been revoked.";
            case CARD_SUSPENDED -> "The card this token was made with is suspended.";
            case "card-expired" -> "The card this token was made with has expired.";
            default -> "The card this token was made with is not known to the registry.";
        });
    }

    /** The problem code that voids this token, if any: one indexed read by link code. */
    @Transactional
    public Optional<String> voided(String linkCode, String cardRef, long issuedAtSeconds) {
        return verdict(CardStanding.list("key.linkCode", linkCode), cardRef, issuedAtSeconds);
    }

    /**
     * The verdict on a token from its link code's rows, however they were read (here through Hibernate; the wallet's
     * ledger batch reads them with plain JDBC in its own transaction): the problem code that voids it, if any.
     */
    public static Optional<String> verdict(List<CardStanding> rows, String cardRef, long issuedAtSeconds) {
        String verdict = null;
        for (CardStanding row : rows) {
            if (CardStanding.RESUMED.equals(row.status)) {
                continue;
            }
            boolean sameCard = cardRef != null && cardRef.equals(row.key.cardRef());
            boolean byTime = (cardRef == null || CardStanding.ANY_CARD.equals(row.key.cardRef()))
                    && issuedAtSeconds <= row.since.toEpochSecond();
            if (sameCard || byTime) {
                if (CardStanding.REVOKED.equals(row.status)) {
                    return Optional.of(CARD_REVOKED);
                }
                verdict = CARD_SUSPENDED;
            }
        }
        return Optional.ofNullable(verdict);
    }
}
