package org.myna.wallet.choice;

public final class ChoiceRequests {
    private ChoiceRequests() {
    }

    /** {@code campaign} may be omitted: the default campaign. The account is the provider's to name, not the resident's. */
    public record ChoosePaymentService(String paymentService, String campaign) {
    }

    /**
     * The resident's answer: the binding code to give the payment service (in its app, or at its counter), valid until
     * {@code expiresAt}; the service confirms it with the account. {@code paymentAccount} only once confirmed. The code
     * is shown once: a replay of the Idempotency-Key answers {@code bindingCode} null (choosing again gives a new code).
     */
    public record ChoiceResponse(String campaign, String paymentService, String status, String bindingCode,
                                 String expiresAt, String paymentAccount, String chosenAt) {

        /** What a replay answers: the wallet keeps the code only as a hash. */
        ChoiceResponse withoutCode() {
            return new ChoiceResponse(campaign, paymentService, status, null, expiresAt, paymentAccount, chosenAt);
        }
    }

    /** The provider confirms a binding code with its own account reference and the account holder's name in kana. */
    public record Confirmation(String bindingCode, String paymentAccount, String holderKana) {
    }

    public record ConfirmationResponse(String campaign, String paymentService, String paymentAccount, String status,
                                       String confirmedAt) {
    }

    /** The provider releases a wrongly bound account; the reason is kept for audit. */
    public record Release(String paymentAccount, String paymentService, String campaign, String reason) {
    }

    public record ReleaseResponse(String campaign, String paymentAccount, String status) {
    }
}
