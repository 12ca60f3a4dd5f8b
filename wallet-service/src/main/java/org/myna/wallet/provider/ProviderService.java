package org.myna.wallet.provider;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.wallet.ledger.LedgerAccount;
import org.myna.wallet.provider.ProviderRequests.MerchantResponse;
import org.myna.wallet.provider.ProviderRequests.PaymentServiceResponse;

import java.time.OffsetDateTime;

@ApplicationScoped
public class ProviderService {

    @Transactional
    public PaymentServiceResponse registerPaymentService(String owner, CorporateNumber number, String name, Idempotency.Ticket ticket) {
        Provider p = new Provider();
        p.corporateNumber = number.value();
        p.name = name;
        p.ownerClient = owner;
        p.createdAt = OffsetDateTime.now();
        try {
            p.persistAndFlush();
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "uq_provider_corporate_number")) {
                throw Problem.conflict("payment-service-exists", "A payment service with this corporate number is registered.");
            }
            throw e;
        }
        PaymentServiceResponse response = new PaymentServiceResponse(p.corporateNumber, p.name, p.ownerClient);
        ticket.complete(response);
        return response;
    }

    @Transactional
    public MerchantResponse registerMerchant(String registeredBy, CorporateNumber number, String name, Idempotency.Ticket ticket) {
        LedgerAccount account = LedgerAccount.open(null, LedgerAccount.MERCHANT, number.value());
        Merchant m = new Merchant();
        m.corporateNumber = number.value();
        m.name = name;
        m.registeredBy = registeredBy;
        m.accountId = account.id;
        m.createdAt = OffsetDateTime.now();
        try {
            m.persistAndFlush();
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "uq_merchant_corporate_number") || Constraints.violated(e, "uq_ledger_account_owner")) {
                throw Problem.conflict("merchant-exists", "A merchant with this corporate number is registered.");
            }
            throw e;
        }
        MerchantResponse response = new MerchantResponse(m.corporateNumber, m.name);
        ticket.complete(response);
        return response;
    }
}
