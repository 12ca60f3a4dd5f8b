package org.myna.wallet.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.cardstanding.CardStandingCheck;
import org.myna.platform.cardstanding.CardStandingFeed;
import org.myna.platform.cardstanding.CardStandings;
import org.myna.platform.cardstanding.ResidentCardFilter;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.ledger.batch.LedgerCommand;

import java.util.Optional;
import java.util.Set;

/**
 * The wallet's card check for {@link ResidentCardFilter} (DESIGN §6.7): the platform's {@link CardStandings}, except for a
 * grant's operation token while the copy of the card events may answer. Then the filter leaves the card to the grant
 * ({@link Pending}), which judges it from the same copy before anything else: in the ledger batch that reads the copy
 * of the registry's facts anyway (one query per batch instead of a transaction per request), or, on every other path,
 * through {@link CardStandings} first thing. Only POST /api/applications accepts such a token (its {@code op} is
 * {@value ApplicationResource#OPERATION}, which {@link org.myna.wallet.auth.OperationTokens#require} checks, and it
 * carries no resident group), so no other endpoint goes without the check.
 */
@ApplicationScoped
public class GrantCardCheck implements CardStandingCheck {

    private final CardStandings standings;
    private final CardStandingFeed feed;
    private final JsonWebToken jwt;
    private final Pending pending;

    public GrantCardCheck(CardStandings standings, CardStandingFeed feed, JsonWebToken jwt, Pending pending) {
        this.standings = standings;
        this.feed = feed;
        this.jwt = jwt;
        this.pending = pending;
    }

    @Override
    public Optional<Refusal> refusal(String subject, String card, long issuedAtSeconds) {
        if (subject != null && grantToken() && !feed.mustAskRegistry()) {
            pending.card = new LedgerCommand.Card(subject, card, issuedAtSeconds);
            return Optional.empty();
        }
        return standings.refusal(subject, card, issuedAtSeconds);
    }

    private boolean grantToken() {
        Set<String> groups = jwt.getGroups();
        return groups != null && groups.contains(Roles.OPERATION) && !groups.contains(Roles.RESIDENT)
                && ApplicationResource.OPERATION.equals(ResidentCardFilter.text(jwt.getClaim("op")));
    }

    /** The request's card still to be judged; null when the filter judged it (or the token has none to judge). */
    public LedgerCommand.Card pending() {
        return pending.card;
    }

    /** The card's answer now, through {@link CardStandings} (the registry too when the copy is stale), if it voids the token. */
    Optional<jakarta.ws.rs.core.Response> refusalNow(LedgerCommand.Card card) {
        if (card == null) {
            return Optional.empty();
        }
        return standings.refusal(card.linkCode(), card.cardRef(), card.issuedAtSeconds()).map(ResidentCardFilter::response);
    }

    /** The answer the batch's verdict on the card stands for: the filter's, 401 with its problem code. */
    static jakarta.ws.rs.core.Response refusal(String code) {
        return ResidentCardFilter.response(CardStandings.refusalFor(code));
    }

    /** What the filter left to the grant, for this request only. */
    @RequestScoped
    public static class Pending {
        LedgerCommand.Card card;
    }
}
