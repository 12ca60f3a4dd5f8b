package org.myna.wallet.payment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.myna.wallet.application.GrantRecord;
import org.myna.wallet.campaign.Campaign;
import org.myna.wallet.campaign.CampaignRule;
import org.myna.wallet.campaign.CampaignService;
import org.myna.wallet.choice.PaymentAccount;
import org.myna.wallet.choice.PaymentChoice;
import org.myna.wallet.common.Problem;
import org.myna.wallet.idempotency.Idempotency;
import org.myna.wallet.ledger.Ledger;
import org.myna.wallet.ledger.LedgerAccount;
import org.myna.wallet.ledger.Transfer;
import org.myna.wallet.ledger.TransferOrder;
import org.myna.wallet.payment.PaymentRequests.ChargeResponse;
import org.myna.wallet.payment.PaymentRequests.RedemptionResponse;
import org.myna.wallet.provider.CorporateNumber;
import org.myna.wallet.provider.Merchant;

import java.util.List;

/**
 * What a payment provider reports: charges (which earn a percentage back up to the person's cap) and purchases
 * paid with points (redemptions). A provider reaches only accounts at the services it owns.
 */
@ApplicationScoped
public class PaymentFlowService {

    private final CampaignService campaigns;
    private final Ledger ledger;
    private final EntityManager em;

    public PaymentFlowService(CampaignService campaigns, Ledger ledger, EntityManager em) {
        this.campaigns = campaigns;
        this.ledger = ledger;
        this.em = em;
    }

    @Transactional
    public ChargeResponse charge(String providerClient, String key, String accountRef, CorporateNumber service, long amount,
                                 String campaignId, Idempotency.Ticket ticket) {
        Campaign campaign = campaigns.requireOpen(campaignId);
        PaymentChoice choice = choiceOf(providerClient, service, accountRef, campaign.id);
        CampaignRule rule = CampaignRule.of(campaign.id, CampaignRule.CARD_ACQUISITION);
        if (rule == null || rule.fixed()) {
            throw new Problem(422, "unknown-rule", "This campaign gives no points back on charges.");
        }
        // The person's row is locked: charges for one person are added one at a time against the cap.
        GrantRecord grant = GrantRecord.find("campaignId = ?1 and resident = ?2 and rule = ?3", campaign.id, choice.resident, rule.rule)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (grant == null) {
            throw new Problem(422, "not-applied", "The resident has not applied for points on charges in this campaign.");
        }
        em.refresh(grant);
        long back = Math.multiplyExact(amount, (long) rule.percent) / 100;
        long points = Math.min(back, grant.cap - grant.granted);
        LedgerAccount account = LedgerAccount.residentOf(campaign.id, choice.resident);
        Long transferId = null;
        if (points > 0) {
            int rows = em.createNativeQuery("update {h-schema}grant_record set granted = granted + ?1 where id = ?2 and granted + ?1 <= cap")
                    .setParameter(1, points).setParameter(2, grant.id).executeUpdate();
            if (rows != 1) {
                throw Problem.conflict("concurrent-update", "The person's points changed meanwhile; retry.");
            }
            Transfer t = ledger.post(new TransferOrder(providerClient, key, LedgerAccount.budgetOf(campaign.id).id, account.id, points,
                    Transfer.CHARGE_BACK, rule.rule, "charge", null));
            transferId = t.id;
        }
        ChargeResponse response = new ChargeResponse(campaign.id, accountRef, amount, points, grant.granted + points, grant.cap,
                ledger.balanceOf(account.id), transferId);
        ticket.complete(response);
        return response;
    }

    @Transactional
    public RedemptionResponse redeem(String providerClient, String key, String accountRef, CorporateNumber service, CorporateNumber merchantNumber,
                                     long amount, String campaignId, Idempotency.Ticket ticket) {
        Campaign campaign = campaigns.require(campaignId);
        Merchant merchant = Merchant.byCorporateNumber(merchantNumber.value());
        if (merchant == null) {
            throw new Problem(422, "unknown-merchant", "No merchant is registered under this corporate number.");
        }
        PaymentChoice choice = choiceOf(providerClient, service, accountRef, campaign.id);
        LedgerAccount account = LedgerAccount.residentOf(campaign.id, choice.resident);
        Transfer t = ledger.post(new TransferOrder(providerClient, key, account.id, merchant.accountId, amount,
                Transfer.REDEMPTION, null, "redemption", null));
        RedemptionResponse response = new RedemptionResponse(campaign.id, accountRef, merchant.corporateNumber, amount,
                ledger.balanceOf(account.id), t.id);
        ticket.complete(response);
        return response;
    }

    private PaymentChoice choiceOf(String providerClient, CorporateNumber service, String accountRef, String campaignId) {
        List<PaymentAccount> accounts = service == null
                ? PaymentAccount.list("accountRef = ?1 and providerId in (select p.id from Provider p where p.ownerClient = ?2)", accountRef, providerClient)
                : PaymentAccount.list("accountRef = ?1 and providerId in (select p.id from Provider p where p.ownerClient = ?2 and p.corporateNumber = ?3)",
                accountRef, providerClient, service.value());
        if (accounts.size() > 1) {
            throw Problem.invalidField("paymentService", "payment-service-required", "You run several payment services: name the one meant.");
        }
        PaymentChoice choice = accounts.isEmpty() ? null : PaymentChoice.forAccount(accounts.get(0).id, campaignId);
        if (choice == null) {
            throw new Problem(422, "unknown-payment-account", "No resident chose this account at your payment service for this campaign.");
        }
        return choice;
    }

}
