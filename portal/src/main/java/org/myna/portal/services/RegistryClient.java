package org.myna.portal.services;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The registry, as the portal uses it. */
@ApplicationScoped
public class RegistryClient {

    public record Token(String accessToken, long expiresIn) {
    }

    private final RegistryApi api;

    public RegistryClient(@RestClient RegistryApi api) {
        this.api = api;
    }

    /** An organisation's token by client credentials: the receptionist logs the facility in. */
    public Token facilityToken(String clientId, String secret) {
        JsonNode t = Calls.call("registry", () -> api.clientCredentials("client_credentials", clientId, secret));
        return new Token(t.path("access_token").asText(), t.path("expires_in").asLong(300));
    }
}
