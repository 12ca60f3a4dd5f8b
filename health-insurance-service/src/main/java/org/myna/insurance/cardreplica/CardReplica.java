package org.myna.insurance.cardreplica;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.myna.platform.cardstanding.CardStandingFeed;
import org.myna.platform.groupcommit.GroupCommitWriter;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The clinic's card check without the registry on its path (DESIGN §8): the standing of the cards of this service's
 * link codes, kept from the registry's card events (issued, activated, suspended, resumed, revoked, and the
 * card-standing event that tells of the cards a holder had before this service got a link code for them).
 *
 * <p>It answers only while the event feed is within its bound ({@link CardStandingFeed#fresh()}, the registry's low
 * watermark for this service): then every event committed at the registry longer ago than the bound has been applied
 * here, so a revocation older than the bound is known. Otherwise, and for a card it has not heard of, the caller asks
 * the registry: an unknown card is never "not linked". It answers only what that lag cannot have changed: a card
 * active here (a revocation younger than the bound is the accepted lag) or revoked (final). A card issued but not yet
 * activated, or suspended, may have been activated or resumed a moment ago, so the registry is asked: a clinic never
 * turns a good card away for an event still on its way.
 */
@ApplicationScoped
public class CardReplica {

    public static final String CARD_ISSUED = "card-issued";
    public static final String CARD_ACTIVATED = "card-activated";
    public static final String CARD_SUSPENDED = "card-suspended";
    public static final String CARD_RESUMED = "card-resumed";
    public static final String CARD_REVOKED = "card-revoked";
    public static final String CARD_STANDING = "card-standing";

    /** A holder-link answer as the registry gives it: status good, suspended or revoked, and the link code. */
    public record Answer(String status, String linkCode) {
    }

    private final CardStandingFeed feed;
    private final Counter hits;
    private final Counter stale;
    private final Counter unknown;
    private final Counter unsettled;

    public CardReplica(CardStandingFeed feed, MeterRegistry meters) {
        this.feed = feed;
        this.hits = Counter.builder("myna.card-replica.hits").description("Card checks answered from the card replica")
                .register(meters);
        this.stale = fallbacks(meters, "stale");
        this.unknown = fallbacks(meters, "unknown");
        this.unsettled = fallbacks(meters, "not-active");
    }

    private static Counter fallbacks(MeterRegistry meters, String reason) {
        return Counter.builder("myna.card-replica.fallbacks").tag("reason", reason)
                .description("Card checks asked of the registry: the feed was beyond its bound, the card unknown here, "
                        + "or not active here (it may have been activated or resumed since)")
                .register(meters);
    }

    /** Applies a card event in the caller's transaction (the one that records the event once). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(String type, String certificateHash, String linkCode, String cardStatus, OffsetDateTime at) {
        String status = switch (type) {
            case CARD_ISSUED -> ReplicaCard.ISSUED;
            case CARD_ACTIVATED, CARD_RESUMED -> ReplicaCard.ACTIVE;
            case CARD_SUSPENDED -> ReplicaCard.SUSPENDED;
            case CARD_REVOKED -> ReplicaCard.REVOKED;
            case CARD_STANDING -> cardStatus;
            default -> null;
        };
        if (status == null || certificateHash == null) {
            return;
        }
        ReplicaCard row = ReplicaCard.findById(certificateHash, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            row = new ReplicaCard();
            row.certificateHash = certificateHash;
            row.linkCode = linkCode;
            row.status = status;
            row.since = at;
            row.persist();
            return;
        }
        if (ReplicaCard.REVOKED.equals(row.status)) {
            return; // final
        }
        if (CARD_RESUMED.equals(type) && !ReplicaCard.SUSPENDED.equals(row.status)) {
            return; // resumes a suspension only
        }
        // The registry delivers one holder's events in order; an older one arriving late never undoes a newer one.
        if (ReplicaCard.REVOKED.equals(status) || !at.isBefore(row.since)) {
            row.status = status;
            row.since = at;
            row.linkCode = linkCode;
        }
    }

    /** True while the replica may answer (counted as a fallback when it may not). Ask before {@link #find}. */
    public boolean usable() {
        if (feed.fresh()) {
            return true;
        }
        stale.increment();
        return false;
    }

    /**
     * The standing of each of {@code certificateHashes} the replica can answer for (active or revoked), by plain JDBC on
     * the caller's connection and transaction (the eligibility writer's batch, through its kept statements): one query
     * for the whole batch, its IN list padded to a power of two so that a few statements serve every batch size. A card
     * missing from the map is unknown here or not active (counted as a fallback; the caller asks the registry).
     */
    public Map<String, Answer> find(GroupCommitWriter.Statements statements, String schema, Collection<String> certificateHashes)
            throws SQLException {
        Map<String, Answer> found = new HashMap<>();
        Set<String> notActive = new HashSet<>();
        if (certificateHashes.isEmpty()) {
            return found;
        }
        PreparedStatement q = statements.in("select certificate_hash, status, link_code from " + schema
                + ".card_replica where certificate_hash in (%s)", certificateHashes);
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                String status = rs.getString(2);
                if (ReplicaCard.ACTIVE.equals(status) || ReplicaCard.REVOKED.equals(status)) {
                    found.put(rs.getString(1), new Answer(holderStatus(status), rs.getString(3)));
                } else {
                    notActive.add(rs.getString(1));
                }
            }
        }
        for (String hash : certificateHashes) {
            (found.containsKey(hash) ? hits : notActive.contains(hash) ? unsettled : unknown).increment();
        }
        return found;
    }

    private static String holderStatus(String replicaStatus) {
        return switch (replicaStatus) {
            case ReplicaCard.ACTIVE -> "good";
            case ReplicaCard.REVOKED -> "revoked";
            default -> "suspended";
        };
    }

    /**
     * The card's standing as the registry's holder-link would give it, from the replica; empty (counted as a fallback)
     * for a card it has not heard of. A card issued but not activated is "suspended", as at the registry.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Answer> find(String certificateHash) {
        ReplicaCard row = certificateHash == null ? null : ReplicaCard.findById(certificateHash);
        if (row == null) {
            unknown.increment();
            return Optional.empty();
        }
        hits.increment();
        return Optional.of(new Answer(holderStatus(row.status), row.linkCode));
    }
}
