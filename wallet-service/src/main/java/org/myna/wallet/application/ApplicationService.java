package org.myna.wallet.application;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.wallet.application.ApplicationRequests.ApplicationResponse;
import org.myna.wallet.auth.OperationTokens;
import org.myna.wallet.campaign.Campaign;
import org.myna.wallet.campaign.CampaignRule;
import org.myna.wallet.campaign.CampaignService;
import org.myna.wallet.choice.PaymentChoice;
import org.myna.wallet.ledger.Ledger;
import org.myna.wallet.ledger.LedgerAccount;
import org.myna.wallet.ledger.Transfer;
import org.myna.wallet.ledger.TransferOrder;
import org.myna.wallet.registry.RegistryClient;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * Applying for points: check what can be checked locally, ask the registry (no transaction open), then grant in
 * one transaction that also consumes the operation token. The grant row's unique key makes "once per person per
 * rule" hold however many requests race; the ledger keeps the budget.
 */
@ApplicationScoped
public class ApplicationService {

    static final String LEDGER_CLIENT = "wallet";
    static final Map<String, String> QUESTIONS = Map.of(
            CampaignRule.CARD_ACQUISITION, RegistryClient.CARD_ACTIVE,
            CampaignRule.INSURANCE_LINK, RegistryClient.INSURANCE_LINKED,
            CampaignRule.PUBLIC_FUND_ACCOUNT, RegistryClient.PUBLIC_FUND_ACCOUNT);

    private final CampaignService campaigns;
    private final RegistryClient registry;
    private final OperationTokens operationTokens;
    private final Ledger ledger;

    public ApplicationService(CampaignService campaigns, RegistryClient registry, OperationTokens operationTokens, Ledger ledger) {
        this.campaigns = campaigns;
        this.registry = registry;
        this.operationTokens = operationTokens;
        this.ledger = ledger;
    }

    public ApplicationResponse apply(JsonWebToken token, String campaignId, String rule, Idempotency.Ticket ticket) {
        String resident = token.getSubject();
        QuarkusTransaction.requiringNew().run(() -> {
            preconditions(campaignId, rule, resident);
            if (GrantRecord.of(campaignId, resident, rule) != null) {
                throw Problem.conflict("already-granted", "Points for this rule were already granted to you.");
            }
        });
        if (!registry.eligible(resident, QUESTIONS.get(rule))) {
            throw new Problem(422, "not-eligible", "The registry does not confirm the condition for this rule.");
        }
        return QuarkusTransaction.requiringNew().call(() -> grant(token, campaignId, rule, resident, ticket));
    }

    private ApplicationResponse grant(JsonWebToken token, String campaignId, String rule, String resident, Idempotency.Ticket ticket) {
        operationTokens.consume(token);
        CampaignRule r = preconditions(campaignId, rule, resident);
        GrantRecord g = new GrantRecord();
        g.campaignId = campaignId;
        g.resident = resident;
        g.rule = rule;
        g.granted = r.fixed() ? r.amount : 0;
        g.cap = r.cap;
        g.createdAt = OffsetDateTime.now();
        try {
            g.persistAndFlush();
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "uq_grant_record")) {
                throw Problem.conflict("already-granted", "Points for this rule were already granted to you.");
            }
            throw e;
        }
        LedgerAccount account = LedgerAccount.residentOf(campaignId, resident);
        Long transferId = null;
        if (r.fixed()) {
            LedgerAccount budget = LedgerAccount.budgetOf(campaignId);
            Transfer t = ledger.post(new TransferOrder(LEDGER_CLIENT, "grant:" + campaignId + ":" + rule + ":" + resident,
                    budget.id, account.id, r.amount, Transfer.GRANT, rule, "application", null));
            transferId = t.id;
            g.transferId = t.id;
        }
        ApplicationResponse response = new ApplicationResponse(campaignId, rule, r.fixed() ? "granted" : "eligible",
                r.fixed() ? r.amount : 0, ledger.balanceOf(account.id), transferId);
        ticket.complete(response);
        return response;
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
