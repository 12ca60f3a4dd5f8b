package org.myna.wallet.choice;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.wallet.auth.OperationTokens;
import org.myna.wallet.campaign.CampaignService;
import org.myna.wallet.choice.ChoiceRequests.ChoiceResponse;
import org.myna.wallet.ledger.LedgerAccount;
import org.myna.wallet.provider.CorporateNumber;
import org.myna.wallet.provider.Provider;

import java.time.OffsetDateTime;

@ApplicationScoped
public class ChoiceService {

    private final OperationTokens operationTokens;
    private final CampaignService campaigns;

    public ChoiceService(OperationTokens operationTokens, CampaignService campaigns) {
        this.operationTokens = operationTokens;
        this.campaigns = campaigns;
    }

    /**
     * The resident (token subject, never a request field) binds one payment account for the campaign. The
     * operation token is consumed in this transaction; the unique constraints settle every race.
     */
    @Transactional
    public ChoiceResponse choose(JsonWebToken token, String campaignId, CorporateNumber service, String accountRef, Idempotency.Ticket ticket) {
        String resident = token.getSubject();
        operationTokens.consume(token);
        CampaignService.Terms campaign = campaigns.openTerms(campaignId);
        Provider provider = Provider.byCorporateNumber(service.value());
        if (provider == null) {
            throw new Problem(422, "unknown-payment-service", "No payment service is registered under this corporate number.");
        }
        if (PaymentChoice.of(resident, campaign.id()) != null) {
            throw Problem.conflict("payment-service-already-chosen", "A payment service was already chosen for this campaign; it cannot be changed.");
        }
        try {
            PaymentAccount account = PaymentAccount.of(provider.id, accountRef);
            if (account == null) {
                account = new PaymentAccount();
                account.providerId = provider.id;
                account.accountRef = accountRef;
                account.resident = resident;
                account.createdAt = OffsetDateTime.now();
                account.persistAndFlush();
            } else if (!account.resident.equals(resident)) {
                throw Problem.conflict("payment-account-taken", "This payment account belongs to another person.");
            }
            PaymentChoice choice = new PaymentChoice();
            choice.campaignId = campaign.id();
            choice.resident = resident;
            choice.paymentAccountId = account.id;
            choice.chosenAt = OffsetDateTime.now();
            choice.persistAndFlush();
            LedgerAccount.open(campaign.id(), LedgerAccount.RESIDENT, resident).flush();
            ChoiceResponse response = new ChoiceResponse(campaign.id(), provider.corporateNumber, accountRef, choice.chosenAt.toString());
            ticket.complete(response);
            return response;
        } catch (Problem p) {
            throw p;
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "uq_payment_choice_resident") || Constraints.violated(e, "uq_ledger_account_owner")) {
                throw Problem.conflict("payment-service-already-chosen", "A payment service was already chosen for this campaign; it cannot be changed.");
            }
            if (Constraints.violated(e, "uq_payment_account") || Constraints.violated(e, "uq_payment_choice_account")) {
                throw Problem.conflict("payment-account-taken", "This payment account belongs to another person.");
            }
            throw e;
        }
    }
}
