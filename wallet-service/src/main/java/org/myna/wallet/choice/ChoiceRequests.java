package org.myna.wallet.choice;

public final class ChoiceRequests {
    private ChoiceRequests() {
    }

    /** {@code campaign} may be omitted: the default campaign. */
    public record ChoosePaymentService(String paymentService, String paymentAccount, String campaign) {
    }

    public record ChoiceResponse(String campaign, String paymentService, String paymentAccount, String chosenAt) {
    }
}
