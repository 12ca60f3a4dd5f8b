package org.myna.wallet.payment;

public final class PaymentRequests {
    private PaymentRequests() {
    }

    /** {@code paymentService} (corporate number) only when the caller runs several services; campaign defaults. */
    public record Charge(String paymentAccount, Long amount, String paymentService, String campaign) {
    }

    public record ChargeResponse(String campaign, String paymentAccount, long amount, long pointsGranted, long cardAcquisitionTotal,
                                 long cap, long balance, Long transferId) {
    }

    public record Redemption(String paymentAccount, String merchantCorporateNumber, Long amount, String paymentService, String campaign) {
    }

    public record RedemptionResponse(String campaign, String paymentAccount, String merchantCorporateNumber, long amount, long balance,
                                     long transferId) {
    }
}
