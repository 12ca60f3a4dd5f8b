package org.myna.wallet.payment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.problem.Problem;
import org.myna.wallet.campaign.CampaignRule;
import org.myna.wallet.campaign.CampaignService;
import org.myna.wallet.ledger.batch.LedgerCommand;
import org.myna.wallet.ledger.batch.LedgerWriter;
import org.myna.wallet.payment.PaymentRequests.Authorization;
import org.myna.wallet.payment.PaymentRequests.Charge;
import org.myna.wallet.payment.PaymentRequests.Redemption;
import org.myna.wallet.provider.CorporateNumber;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What a payment provider reports: charges (which earn a percentage back up to the person's cap) and purchases paid
 * with points (redemptions). The campaign's terms are checked here from memory; everything that reads or writes the
 * ledger happens in the batched writer ({@link LedgerWriter}), which also resolves the account to its resident (a
 * provider reaches only accounts at the services it owns, and only confirmed bindings, DESIGN §6.2).
 */
@ApplicationScoped
public class PaymentFlowService {

    static final String CHARGES = "POST /api/charges";
    static final String REDEMPTIONS = "POST /api/redemptions";
    static final String AUTHORIZATIONS = "POST /api/authorizations";
    static final String CAPTURES = "POST /api/authorizations/{id}/capture";
    static final String VOIDS = "POST /api/authorizations/{id}/void";

    private final CampaignService campaigns;
    private final Idempotency idempotency;
    private final LedgerWriter writer;

    public PaymentFlowService(CampaignService campaigns, Idempotency idempotency, LedgerWriter writer) {
        this.campaigns = campaigns;
        this.idempotency = idempotency;
        this.writer = writer;
    }

    public CompletionStage<Response> charge(String providerClient, String key, String accountRef, CorporateNumber service, long amount,
                                            String campaignId, Charge body) {
        Idempotency.requireKey(key);
        LedgerCommand.Key k = new LedgerCommand.Key(providerClient, key, CHARGES, idempotency.hash(CHARGES, body));
        CampaignService.RuleTerms rule;
        try {
            CampaignService.Terms campaign = campaigns.openTerms(campaignId);
            rule = campaign.rules().get(CampaignRule.CARD_ACQUISITION);
            if (rule == null || rule.fixed()) {
                throw new Problem(422, "unknown-rule", "This campaign gives no points back on charges.");
            }
        } catch (Problem p) {
            return refused(k, campaignId, p);
        }
        return writer.answer(result -> new LedgerCommand.Charge(k, providerClient, accountRef, service == null ? null : service.value(),
                amount, campaignId, rule.rule(), rule.percent(), result));
    }

    public CompletionStage<Response> redeem(String providerClient, String key, String accountRef, CorporateNumber service,
                                            CorporateNumber merchant, long amount, String campaignId, Redemption body) {
        Idempotency.requireKey(key);
        LedgerCommand.Key k = new LedgerCommand.Key(providerClient, key, REDEMPTIONS, idempotency.hash(REDEMPTIONS, body));
        try {
            campaigns.terms(campaignId);
        } catch (Problem p) {
            return refused(k, campaignId, p);
        }
        return writer.answer(result -> new LedgerCommand.Redemption(k, providerClient, accountRef, service == null ? null : service.value(),
                merchant.value(), amount, campaignId, result));
    }

    /** Holds {@code amount} points for the merchant (two-phase redemption, issue 23) through the same batched writer. */
    public CompletionStage<Response> authorize(String providerClient, String key, String accountRef, CorporateNumber service,
                                               CorporateNumber merchant, long amount, Duration validFor, String campaignId, Authorization body) {
        Idempotency.requireKey(key);
        LedgerCommand.Key k = new LedgerCommand.Key(providerClient, key, AUTHORIZATIONS, idempotency.hash(AUTHORIZATIONS, body));
        try {
            campaigns.terms(campaignId);
        } catch (Problem p) {
            return refused(k, campaignId, p);
        }
        return writer.answer(result -> new LedgerCommand.Authorize(k, providerClient, accountRef, service == null ? null : service.value(),
                merchant.value(), amount, campaignId, validFor, result));
    }

    /** Captures {@code amount} (1 to the held amount) of the provider's authorisation, or voids it when null. */
    public CompletionStage<Response> settle(String providerClient, String key, long authorizationId, Long amount) {
        Idempotency.requireKey(key);
        String endpoint = amount == null ? VOIDS : CAPTURES;
        Map<String, Object> request = amount == null ? Map.of("authorization", authorizationId)
                : Map.of("authorization", authorizationId, "amount", amount);
        LedgerCommand.Key k = new LedgerCommand.Key(providerClient, key, endpoint, idempotency.hash(endpoint, request));
        return writer.answer(result -> new LedgerCommand.Settle(k, providerClient, authorizationId, amount, result));
    }

    /** A refusal before the ledger is stored under the key too, unless the key already holds an answer (then replayed). */
    private CompletionStage<Response> refused(LedgerCommand.Key k, String campaignId, Problem p) {
        if (p.status() >= 500) {
            throw p;
        }
        return writer.answer(result -> new LedgerCommand.Refusal(k, campaignId, p, null, result));
    }
}
