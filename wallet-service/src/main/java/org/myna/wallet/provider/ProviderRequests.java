package org.myna.wallet.provider;

/** Request and response bodies of payment-service and merchant registration. */
public final class ProviderRequests {
    private ProviderRequests() {
    }

    public record RegisterPaymentService(String corporateNumber, String name) {
    }

    public record PaymentServiceResponse(String corporateNumber, String name, String owner) {
    }

    public record RegisterMerchant(String corporateNumber, String name) {
    }

    public record MerchantResponse(String corporateNumber, String name) {
    }
}
