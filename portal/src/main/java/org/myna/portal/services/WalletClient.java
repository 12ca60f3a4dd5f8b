package org.myna.portal.services;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The wallet, as the resident portal uses it. */
@ApplicationScoped
public class WalletClient {

    private final WalletApi api;

    public WalletClient(@RestClient WalletApi api) {
        this.api = api;
    }

    /** Her balance in the wallet's default campaign. */
    public WalletApi.Balance balance(String token) {
        return Calls.call("wallet", () -> api.balance("Bearer " + token));
    }

    /** Her balance in one campaign (null: the wallet's default campaign), with what is held for pending payments. */
    public WalletApi.Balance balanceOf(String token, String campaign) {
        return Calls.call("wallet", () -> api.balanceIn("Bearer " + token, campaign));
    }

    /** Every transfer on her account, newest first (grants, points back on charges, redemptions, holds). */
    public WalletApi.History history(String token, String campaign) {
        return Calls.call("wallet", () -> api.history("Bearer " + token, campaign));
    }

    /** Her payment service and its binding's state; a ServiceProblem no-payment-service when none was chosen. */
    public WalletApi.PaymentChoice paymentChoice(String token, String campaign) {
        return Calls.call("wallet", () -> api.paymentChoice("Bearer " + token, campaign));
    }

    public WalletApi.Applied apply(String operationToken, String idempotencyKey, WalletApi.Apply body) {
        return Calls.call("wallet", () -> api.apply("Bearer " + operationToken, idempotencyKey, body));
    }

    public WalletApi.Chosen choosePaymentService(String operationToken, String idempotencyKey, WalletApi.Choose body) {
        return Calls.call("wallet", () -> api.choose("Bearer " + operationToken, idempotencyKey, body));
    }
}
