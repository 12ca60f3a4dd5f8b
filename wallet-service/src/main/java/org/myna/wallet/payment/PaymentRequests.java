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

    /**
     * A two-phase redemption's authorisation: the points are held for the merchant until captured or voided, or until
     * {@code validForSeconds} (default and maximum: {@code wallet.authorization.*}) have passed.
     */
    public record Authorization(String paymentAccount, String merchantCorporateNumber, Long amount, Long validForSeconds,
                                String paymentService, String campaign) {
    }

    /** The points to take from the hold: 1 to the authorized amount; the rest returns to the resident. */
    public record Capture(Long amount) {
    }

    /**
     * An authorisation and what became of it. {@code captured}, {@code released} and their transfers once settled;
     * {@code balance} (the resident's points after the act) only in the answer to the act that changed it.
     */
    public record AuthorizationResponse(long id, String campaign, String paymentAccount, String merchantCorporateNumber, long amount,
                                        String status, Long captured, Long released, String expiresAt, Long balance, Long holdTransferId,
                                        Long captureTransferId, Long releaseTransferId) {
    }
}
