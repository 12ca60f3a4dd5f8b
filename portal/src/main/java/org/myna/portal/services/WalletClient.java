package org.myna.portal.services;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The wallet, as the resident portal uses it. */
@ApplicationScoped
public class WalletClient {

    public record Balance(long balance, long received, long spent) {
    }

    private final WalletApi api;

    public WalletClient(@RestClient WalletApi api) {
        this.api = api;
    }

    public Balance balance(String token) {
        JsonNode b = Calls.call("wallet", () -> api.balance("Bearer " + token));
        return new Balance(b.path("balance").asLong(), b.path("received").asLong(), b.path("spent").asLong());
    }

    /** Her balance in one campaign (null: the wallet's default campaign), with what is held for pending payments. */
    public JsonNode balanceOf(String token, String campaign) {
        return Calls.call("wallet", () -> api.balanceIn("Bearer " + token, campaign));
    }

    /** Every transfer on her account, newest first (grants, points back on charges, redemptions, holds). */
    public JsonNode history(String token, String campaign) {
        return Calls.call("wallet", () -> api.history("Bearer " + token, campaign));
    }

    /** Her payment service and its binding's state; a ServiceProblem no-payment-service when none was chosen. */
    public JsonNode paymentChoice(String token, String campaign) {
        return Calls.call("wallet", () -> api.paymentChoice("Bearer " + token, campaign));
    }

    public JsonNode apply(String operationToken, String idempotencyKey, java.util.Map<String, String> body) {
        return Calls.call("wallet", () -> api.apply("Bearer " + operationToken, idempotencyKey, body));
    }

    public JsonNode choosePaymentService(String operationToken, String idempotencyKey, java.util.Map<String, String> body) {
        return Calls.call("wallet", () -> api.choose("Bearer " + operationToken, idempotencyKey, body));
    }
}
