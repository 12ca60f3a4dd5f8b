package org.myna.wallet.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.problem.Problem;
import org.myna.wallet.auth.OperationTokens;
import org.myna.wallet.campaign.CampaignRule;
import org.myna.wallet.campaign.CampaignService;
import org.myna.wallet.eligibility.EligibilityFacts;
import org.myna.platform.cardstanding.CardStandingFeed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.myna.wallet.ledger.batch.LedgerCommand;
import org.myna.wallet.ledger.batch.LedgerOutcome;
import org.myna.wallet.ledger.batch.LedgerWriter;
import org.myna.wallet.registry.RegistryClient;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Applying for points. While the copies of the registry's events are fresh, a rule the copy of its facts answers goes
 * straight to the batched ledger writer, which judges the token's card and takes a "yes" from the copy in its batch
 * (issue 18: no read of its own per request). Otherwise, or when the copy cannot say yes, what can be checked locally
 * is checked, the registry is asked (no transaction open), and the grant goes to the writer. The writer consumes the
 * operation token, writes the grant row (unique per person and rule, so "once" holds however many requests race),
 * moves the points within the budget and stores the answer under the Idempotency-Key, all in its batch's one
 * transaction. A refusal here is stored and spends the token the same way; a voided token's card stores nothing.
 */
@ApplicationScoped
public class ApplicationService {

    static final String ENDPOINT = "POST /api/applications";
    static final Map<String, String> QUESTIONS = Map.of(
            CampaignRule.CARD_ACQUISITION, RegistryClient.CARD_ACTIVE,
            CampaignRule.INSURANCE_LINK, RegistryClient.INSURANCE_LINKED,
            CampaignRule.PUBLIC_FUND_ACCOUNT, RegistryClient.PUBLIC_FUND_ACCOUNT);

    private final CampaignService campaigns;
    private final RegistryClient registry;
    private final Idempotency idempotency;
    private final LedgerWriter writer;
    private final OperationTokens operationTokens;

    private final DataSource dataSource;
    private final String precheck;
    private final CardStandingFeed feed;
    private final Counter fromCopy;
    private final Counter askedStale;
    private final Counter askedUnknown;
    private final Counter askedNo;
    private final GrantCardCheck cardCheck;

    public ApplicationService(CampaignService campaigns, RegistryClient registry, Idempotency idempotency, LedgerWriter writer,
                              OperationTokens operationTokens, DataSource dataSource, CardStandingFeed feed, MeterRegistry meters,
                              GrantCardCheck cardCheck,
                              @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        this.cardCheck = cardCheck;
        this.dataSource = dataSource;
        this.feed = feed;
        this.precheck = ("select (select count(*) from %1$s.payment_choice where resident = ? and campaign_id = ?), "
                + "(select count(*) from %1$s.grant_record where campaign_id = ? and resident = ? and rule = ?)").formatted(schema);
        String name = "wallet.eligibility.decisions";
        String description = "Grants' eligibility: decided from the copy of the registry's facts, or asked of the registry and why";
        this.fromCopy = Counter.builder(name).description(description).tag("by", "copy").register(meters);
        this.askedStale = Counter.builder(name).description(description).tag("by", "registry-stale").register(meters);
        this.askedUnknown = Counter.builder(name).description(description).tag("by", "registry-unknown").register(meters);
        this.askedNo = Counter.builder(name).description(description).tag("by", "registry-copy-says-no").register(meters);
        this.operationTokens = operationTokens;
        this.campaigns = campaigns;
        this.registry = registry;
        this.idempotency = idempotency;
        this.writer = writer;
    }

    public CompletionStage<Response> apply(String resident, String jti, String key, String campaignId, ApplicationRequests.Apply body,
                                           LedgerCommand.Card card) {
        try {
            Idempotency.requireKey(key);
        } catch (Problem p) {
            Optional<Response> voided = cardCheck.refusalNow(card);
            if (voided.isPresent()) {
                return CompletableFuture.completedFuture(voided.get());
            }
            operationTokens.burn(jti);
            throw p;
        }
        LedgerCommand.Key k = new LedgerCommand.Key(resident, key, ENDPOINT, idempotency.hash(ENDPOINT, body));
        String rule = body.rule();
        String question = QUESTIONS.get(rule);
        CampaignService.RuleTerms terms;
        try {
            terms = terms(campaignId, rule);
        } catch (Problem p) {
            return refused(k, campaignId, jti, card, p);
        }
        if (EligibilityFacts.LOCAL.contains(question) && feed.fresh()) {
            // Straight to the batch, which judges the token's card (when the filter left it) and takes a "yes" from the
            // copy of the registry's facts; when the copy cannot say yes nothing is stored and the registry is asked.
            boolean[] unanswered = {false};
            return writer.answer(result -> new LedgerCommand.Grant(k, jti, campaignId, rule, resident, terms.fixed(),
                    terms.fixed() ? terms.amount() : 0, terms.cap(), question, card, result), why -> {
                unanswered[0] = true;
                if (LedgerOutcome.COPY_UNKNOWN.equals(why)) {
                    askedUnknown.increment();
                } else if (LedgerOutcome.COPY_NO.equals(why)) {
                    // A fresh feed may still be up to its bound behind, so a "no" can be an account registered or a card
                    // activated a moment ago. The registry settles it.
                    askedNo.increment();
                } else {
                    return CompletableFuture.completedFuture(GrantCardCheck.refusal(why));
                }
                return asked(k, jti, campaignId, rule, resident, terms, question, null);
            }).whenComplete((answer, failure) -> {
                if (!unanswered[0]) {
                    fromCopy.increment();
                }
            });
        }
        if (EligibilityFacts.LOCAL.contains(question)) {
            askedStale.increment();
        }
        return asked(k, jti, campaignId, rule, resident, terms, question, card);
    }

    /**
     * The grant without the copy: what can be refused before asking the registry, then the registry's question (no
     * transaction open), then the batch. {@code card}: the token's card if still to be judged (first of all).
     */
    private CompletionStage<Response> asked(LedgerCommand.Key k, String jti, String campaignId, String rule, String resident,
                                            CampaignService.RuleTerms terms, String question, LedgerCommand.Card card) {
        try {
            Optional<Response> voided = cardCheck.refusalNow(card);
            if (voided.isPresent()) {
                return CompletableFuture.completedFuture(voided.get());
            }
            preconditions(campaignId, rule, resident);
            if (!registry.eligible(resident, question)) {
                throw new Problem(422, "not-eligible", "The registry does not confirm the condition for this rule.");
            }
        } catch (Problem p) {
            return refused(k, campaignId, jti, null, p);
        }
        boolean fixed = terms.fixed();
        return writer.answer(result -> new LedgerCommand.Grant(k, jti, campaignId, rule, resident, fixed, fixed ? terms.amount() : 0,
                terms.cap(), null, result));
    }

    /** A refusal before the batch: stored under the key and spending the token, unless it is ours (5xx) or the card's. */
    private CompletionStage<Response> refused(LedgerCommand.Key k, String campaignId, String jti, LedgerCommand.Card card, Problem p) {
        Optional<Response> voided = cardCheck.refusalNow(card);
        if (voided.isPresent()) {
            return CompletableFuture.completedFuture(voided.get());
        }
        if (p.status() >= 500) {
            // Ours or the registry's failure: nothing is stored, the key and the token stay good for the retry.
            return CompletableFuture.failedFuture(p);
        }
        return writer.answer(result -> new LedgerCommand.Refusal(k, campaignId, p, jti, result));
    }

    /** The campaign's terms from memory: the rule, and the campaign open now. */
    private CampaignService.RuleTerms terms(String campaignId, String rule) {
        CampaignService.Terms campaign = campaigns.terms(campaignId);
        CampaignService.RuleTerms r = campaign.rules().get(rule);
        if (r == null) {
            throw new Problem(422, "unknown-rule", "This campaign has no such rule.");
        }
        if (!campaign.openAt(OffsetDateTime.now())) {
            throw new Problem(422, "campaign-closed", "The campaign is not open at this time.");
        }
        return r;
    }

    /**
     * What can be refused before asking the registry: one read (no transaction) for the person's payment choice and an
     * earlier grant. The writer decides again under its locks; this spares the registry a question whose answer cannot
     * matter.
     */
    private void preconditions(String campaignId, String rule, String resident) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(precheck)) {
            q.setString(1, resident);
            q.setString(2, campaignId);
            q.setString(3, campaignId);
            q.setString(4, resident);
            q.setString(5, rule);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    throw new Problem(422, "no-payment-service", "Choose a payment service for this campaign first.");
                }
                if (rs.getLong(2) > 0) {
                    throw Problem.conflict("already-granted", "Points for this rule were already granted to you.");
                }
            }
        } catch (SQLException e) {
            throw new Problem(503, "ledger-unavailable", "The ledger could not be read now; retry with the same Idempotency-Key.");
        }
    }
}
