package org.myna.wallet.payment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.myna.platform.accesslog.AccessLogOutbox;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.problem.Problem;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.campaign.CampaignRule;
import org.myna.wallet.campaign.CampaignService;
import org.myna.wallet.choice.PaymentChoice;
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
 * paid with points (redemptions). A provider reaches only accounts at the services it owns. Each answer tells the
 * provider the person's points, so each is in the resident's access log (outbox row in the same transaction).
 */
@ApplicationScoped
public class PaymentFlowService {

    /** What a provider learns of the resident from a charge or a redemption answer. */
    static final String PAYMENT_FIELDS = "points,balance";

    private final CampaignService campaigns;
    private final Ledger ledger;
    private final AccessLogOutbox accessLog;
    private final EntityManager em;

    public PaymentFlowService(CampaignService campaigns, Ledger ledger, AccessLogOutbox accessLog, EntityManager em) {
        this.campaigns = campaigns;
        this.ledger = ledger;
        this.accessLog = accessLog;
        this.em = em;
    }

    @Transactional
    public ChargeResponse charge(String providerClient, String key, String accountRef, CorporateNumber service, long amount,
                                 String campaignId, Idempotency.Ticket ticket) {
        CampaignService.Terms campaign = campaigns.openTerms(campaignId);
        String resident = residentOf(providerClient, service, accountRef, campaign.id());
        CampaignService.RuleTerms rule = campaign.rules().get(CampaignRule.CARD_ACQUISITION);
        if (rule == null || rule.fixed()) {
            throw new Problem(422, "unknown-rule", "This campaign gives no points back on charges.");
        }
        // The person's row is locked: charges for one person are added one at a time against the cap.
        Object[] grant = (Object[]) em.createNativeQuery("select id, granted, cap from {h-schema}grant_record "
                        + "where campaign_id = ?1 and resident = ?2 and rule = ?3 for update")
                .setParameter(1, campaign.id()).setParameter(2, resident).setParameter(3, rule.rule())
                .getResultStream().findFirst().orElse(null);
        if (grant == null) {
            throw new Problem(422, "not-applied", "The resident has not applied for points on charges in this campaign.");
        }
        long grantId = ((Number) grant[0]).longValue();
        long granted = ((Number) grant[1]).longValue();
        long cap = ((Number) grant[2]).longValue();
        long back = Math.multiplyExact(amount, (long) rule.percent()) / 100;
        long points = Math.min(back, cap - granted);
        Ledger.CampaignAccounts accounts = ledger.campaignAccounts(campaign.id(), resident);
        if (points <= 0) {
            accessLog.record(resident, providerClient, Roles.PAYMENT_PROVIDER, AccessLogOutbox.READ, "charge-back", PAYMENT_FIELDS);
            ChargeResponse response = new ChargeResponse(campaign.id(), accountRef, amount, 0, granted, cap,
                    ledger.balanceOf(accounts.resident()), null);
            ticket.complete(response);
            return response;
        }
        int rows = em.createNativeQuery("update {h-schema}grant_record set granted = granted + ?1 where id = ?2 and granted + ?1 <= cap")
                .setParameter(1, points).setParameter(2, grantId).executeUpdate();
        if (rows != 1) {
            throw Problem.conflict("concurrent-update", "The person's points changed meanwhile; retry.");
        }
        accessLog.record(resident, providerClient, Roles.PAYMENT_PROVIDER, AccessLogOutbox.UPDATE, "charge-back", PAYMENT_FIELDS);
        ChargeResponse[] response = new ChargeResponse[1];
        // The answer is stored before the budget rows are written, so that their locks are held as briefly as possible.
        ledger.post(new TransferOrder(providerClient, key, accounts.budget(), accounts.resident(), points,
                Transfer.CHARGE_BACK, rule.rule(), "charge", null), t -> {
            response[0] = new ChargeResponse(campaign.id(), accountRef, amount, points, granted + points, cap,
                    ledger.balanceOf(accounts.resident()), t.id);
            ticket.complete(response[0]);
        });
        return response[0];
    }

    @Transactional
    public RedemptionResponse redeem(String providerClient, String key, String accountRef, CorporateNumber service, CorporateNumber merchantNumber,
                                     long amount, String campaignId, Idempotency.Ticket ticket) {
        CampaignService.Terms campaign = campaigns.terms(campaignId);
        Merchant merchant = Merchant.byCorporateNumber(merchantNumber.value());
        if (merchant == null) {
            throw new Problem(422, "unknown-merchant", "No merchant is registered under this corporate number.");
        }
        String resident = residentOf(providerClient, service, accountRef, campaign.id());
        LedgerAccount account = LedgerAccount.residentOf(campaign.id(), resident);
        accessLog.record(resident, providerClient, Roles.PAYMENT_PROVIDER, AccessLogOutbox.UPDATE, "redemption", PAYMENT_FIELDS);
        RedemptionResponse[] response = new RedemptionResponse[1];
        // The answer is stored before the merchant's account, which every redemption there writes, is touched.
        ledger.post(new TransferOrder(providerClient, key, account.id, merchant.accountId, amount,
                Transfer.REDEMPTION, null, "redemption", null), t -> {
            response[0] = new RedemptionResponse(campaign.id(), accountRef, merchant.corporateNumber, amount,
                    ledger.balanceOf(account.id), t.id);
            ticket.complete(response[0]);
        });
        return response[0];
    }

    /**
     * The resident whose confirmed choice names this account at one of the provider's services for the campaign, in
     * one query. A binding the provider never confirmed earns and spends nothing (DESIGN §6.2).
     */
    private String residentOf(String providerClient, CorporateNumber service, String accountRef, String campaignId) {
        var query = em.createNativeQuery("select pc.resident, pc.status from {h-schema}payment_account pa "
                        + "join {h-schema}provider p on p.id = pa.provider_id "
                        + "left join {h-schema}payment_choice pc on pc.payment_account_id = pa.id and pc.campaign_id = ?3 "
                        + "where pa.account_ref = ?1 and p.owner_client = ?2" + (service == null ? "" : " and p.corporate_number = ?4"))
                .setParameter(1, accountRef).setParameter(2, providerClient).setParameter(3, campaignId);
        if (service != null) {
            query.setParameter(4, service.value());
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        if (rows.size() > 1) {
            throw Problem.invalidField("paymentService", "payment-service-required", "You run several payment services: name the one meant.");
        }
        if (rows.isEmpty() || rows.get(0)[0] == null) {
            throw new Problem(422, "unknown-payment-account", "No resident chose this account at your payment service for this campaign.");
        }
        if (!PaymentChoice.CONFIRMED.equals(rows.get(0)[1])) {
            throw Problem.conflict("payment-account-unconfirmed",
                    "This account's binding was never confirmed by your payment service; confirm the resident's binding code first.");
        }
        return rows.get(0)[0].toString();
    }

}
