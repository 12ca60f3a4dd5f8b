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
}
