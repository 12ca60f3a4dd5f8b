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
import java.util.concurrent.CompletionStage;

/**
 * Applying for points: check what can be checked locally, ask the registry (no transaction open) unless the wallet's
 * copy of the registry's eligibility facts may answer (below), then hand the grant to the batched ledger writer, which consumes the operation token, writes the grant row (unique per person and rule,
 * so "once" holds however many requests race), moves the points within the budget and stores the answer under the
 * Idempotency-Key, all in its batch's one transaction. A refusal here is stored and spends the token the same way.
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

    public ApplicationService(CampaignService campaigns, RegistryClient registry, Idempotency idempotency, LedgerWriter writer,
                              OperationTokens operationTokens, DataSource dataSource, CardStandingFeed feed, MeterRegistry meters,
                              @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        this.dataSource = dataSource;
        this.feed = feed;
        this.precheck = ("select (select count(*) from %1$s.payment_choice where resident = ? and campaign_id = ?), "
                + "(select count(*) from %1$s.grant_record where campaign_id = ? and resident = ? and rule = ?), "
                + "(select card_active from %1$s.eligibility_fact where link_code = ?), "
                + "(select public_fund_account from %1$s.eligibility_fact where link_code = ?)").formatted(schema);
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

    public CompletionStage<Response> apply(String resident, String jti, String key, String campaignId, ApplicationRequests.Apply body) {
        try {
            Idempotency.requireKey(key);
        } catch (Problem p) {
            operationTokens.burn(jti);
            throw p;
        }
        LedgerCommand.Key k = new LedgerCommand.Key(resident, key, ENDPOINT, idempotency.hash(ENDPOINT, body));
        String rule = body.rule();
        CampaignService.RuleTerms terms;
        String question = QUESTIONS.get(rule);
        String local = null;
        try {
            Checked checked = preconditions(campaignId, rule, resident);
            terms = checked.terms();
            if (EligibilityFacts.LOCAL.contains(question)) {
                if (checked.facts() == null) {
                    askedUnknown.increment();
                } else if (!EligibilityFacts.answer(question, checked.facts()[0], checked.facts()[1])) {
                    // Only a "yes" is taken from the copy: a fresh feed may still be up to its bound behind, so a "no"
                    // can be an account registered or a card activated a moment ago. The registry settles it.
                    askedNo.increment();
                } else if (!feed.fresh()) {
                    askedStale.increment();
                } else {
                    local = question;
                    fromCopy.increment();
                }
            }
            if (local == null && !registry.eligible(resident, question)) {
                throw new Problem(422, "not-eligible", "The registry does not confirm the condition for this rule.");
            }
        } catch (Problem p) {
            if (p.status() >= 500) {
                // Ours or the registry's failure: nothing is stored, the key and the token stay good for the retry.
                throw p;
            }
            return writer.answer(result -> new LedgerCommand.Refusal(k, campaignId, p, jti, result));
        }
        boolean fixed = terms.fixed();
        String fromCopyQuestion = local;
        return writer.answer(result -> new LedgerCommand.Grant(k, jti, campaignId, rule, resident, fixed, fixed ? terms.amount() : 0,
                terms.cap(), fromCopyQuestion, result));
    }

    /** The rule's terms, and the copy of the registry's facts on the person (card active, account), null if unknown. */
    private record Checked(CampaignService.RuleTerms terms, boolean[] facts) {
    }

    /**
     * What can be refused before asking the registry: the campaign's terms from memory, then one read (no transaction)
     * for the person's payment choice and an earlier grant. The writer decides again under its locks; this spares the
     * registry a question whose answer cannot matter.
     */
    private Checked preconditions(String campaignId, String rule, String resident) {
        CampaignService.Terms campaign = campaigns.terms(campaignId);
        CampaignService.RuleTerms r = campaign.rules().get(rule);
        if (r == null) {
            throw new Problem(422, "unknown-rule", "This campaign has no such rule.");
        }
        if (!campaign.openAt(OffsetDateTime.now())) {
            throw new Problem(422, "campaign-closed", "The campaign is not open at this time.");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(precheck)) {
            q.setString(1, resident);
            q.setString(2, campaignId);
            q.setString(3, campaignId);
            q.setString(4, resident);
            q.setString(5, rule);
            q.setString(6, resident);
            q.setString(7, resident);
            boolean[] facts;
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    throw new Problem(422, "no-payment-service", "Choose a payment service for this campaign first.");
                }
                if (rs.getLong(2) > 0) {
                    throw Problem.conflict("already-granted", "Points for this rule were already granted to you.");
                }
                boolean cardActive = rs.getBoolean(3);
                facts = rs.wasNull() ? null : new boolean[]{cardActive, rs.getBoolean(4)};
            }
            return new Checked(r, facts);
        } catch (SQLException e) {
            throw new Problem(503, "ledger-unavailable", "The ledger could not be read now; retry with the same Idempotency-Key.");
        }
    }
}
