package org.myna.wallet.application;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.problem.Problem;
import org.myna.wallet.auth.OperationTokens;
import org.myna.wallet.campaign.Campaign;
import org.myna.wallet.campaign.CampaignRule;
import org.myna.wallet.campaign.CampaignService;
import org.myna.wallet.choice.PaymentChoice;
import org.myna.wallet.ledger.batch.LedgerCommand;
import org.myna.wallet.ledger.batch.LedgerWriter;
import org.myna.wallet.registry.RegistryClient;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Applying for points: check what can be checked locally, ask the registry (no transaction open), then hand the grant
 * to the batched ledger writer, which consumes the operation token, writes the grant row (unique per person and rule,
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

    public ApplicationService(CampaignService campaigns, RegistryClient registry, Idempotency idempotency, LedgerWriter writer,
                              OperationTokens operationTokens) {
        this.operationTokens = operationTokens;
        this.campaigns = campaigns;
        this.registry = registry;
        this.idempotency = idempotency;
        this.writer = writer;
    }

    private record RuleTerms(boolean fixed, long amount, long cap) {
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
        RuleTerms terms;
        try {
            terms = QuarkusTransaction.requiringNew().call(() -> {
                CampaignRule r = preconditions(campaignId, rule, resident);
                if (GrantRecord.of(campaignId, resident, rule) != null) {
                    throw Problem.conflict("already-granted", "Points for this rule were already granted to you.");
                }
                return new RuleTerms(r.fixed(), r.fixed() ? r.amount : 0, r.cap);
            });
            if (!registry.eligible(resident, QUESTIONS.get(rule))) {
                throw new Problem(422, "not-eligible", "The registry does not confirm the condition for this rule.");
            }
        } catch (Problem p) {
            if (p.status() >= 500) {
                // Ours or the registry's failure: nothing is stored, the key and the token stay good for the retry.
                throw p;
            }
            return writer.answer(result -> new LedgerCommand.Refusal(k, campaignId, p, jti, result));
        }
        return writer.answer(result -> new LedgerCommand.Grant(k, jti, campaignId, rule, resident, terms.fixed(), terms.amount(), terms.cap(), result));
    }

    private CampaignRule preconditions(String campaignId, String rule, String resident) {
        Campaign campaign = campaigns.require(campaignId);
        CampaignRule r = CampaignRule.of(campaign.id, rule);
        if (r == null) {
            throw new Problem(422, "unknown-rule", "This campaign has no such rule.");
        }
        if (!campaign.openAt(OffsetDateTime.now())) {
            throw new Problem(422, "campaign-closed", "The campaign is not open at this time.");
        }
        if (PaymentChoice.of(resident, campaign.id) == null) {
            throw new Problem(422, "no-payment-service", "Choose a payment service for this campaign first.");
        }
        return r;
    }
}
