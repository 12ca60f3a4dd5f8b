package org.myna.wallet.eligibility;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.myna.wallet.registry.RegistryClient;

import java.time.OffsetDateTime;
import java.util.Set;

/**
 * The wallet's copy of the registry's eligibility facts (issue 18 §2), fed by its eligibility-facts events in the
 * transaction that records each event once. A grant for a rule whose question is in {@link #LOCAL} is decided from the
 * copy inside the ledger writer's batch while the feed is fresh and the copy says yes; otherwise the registry is asked,
 * as before. A "no" is never taken from the copy, since a fresh feed may still lag by up to its bound: an account
 * registered a moment ago must not be refused; a revoked card's "no" is then the registry's, so it still refuses.
 * The insurance link is not here: the insurance service owns it, so that rule always asks.
 */
@ApplicationScoped
public class EligibilityFacts {

    public static final String EVENT = "eligibility-facts";
    /** The exchange questions the copy answers. */
    public static final Set<String> LOCAL = Set.of(RegistryClient.CARD_ACTIVE, RegistryClient.PUBLIC_FUND_ACCOUNT);

    /** An event's facts as the registry read them at delivery; {@code sequence} orders the reads. */
    public record Facts(@NotNull @Positive Long sequence, @NotNull Boolean cardActive, @NotNull Boolean publicFundAccount) {
    }

    /** The answer to an exchange question from one person's facts. */
    public static boolean answer(String question, boolean cardActive, boolean publicFundAccount) {
        return switch (question) {
            case RegistryClient.CARD_ACTIVE -> cardActive;
            case RegistryClient.PUBLIC_FUND_ACCOUNT -> publicFundAccount;
            default -> throw new IllegalArgumentException("not answered from the copy: " + question);
        };
    }

    /**
     * Applies an event's facts in the caller's transaction: only facts read later than those held (a higher sequence)
     * replace them, so redeliveries and events arriving out of order leave the newest. A first row that a concurrent
     * delivery inserts too fails on the primary key; the caller runs the event again and finds it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(String linkCode, Facts facts) {
        EligibilityFact row = EligibilityFact.findById(linkCode, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            row = new EligibilityFact();
            row.linkCode = linkCode;
            set(row, facts);
            row.persist();
        } else if (facts.sequence() > row.registrySequence) {
            set(row, facts);
        }
    }

    private static void set(EligibilityFact row, Facts facts) {
        row.cardActive = facts.cardActive();
        row.publicFundAccount = facts.publicFundAccount();
        row.registrySequence = facts.sequence();
        row.updatedAt = OffsetDateTime.now();
    }
}
