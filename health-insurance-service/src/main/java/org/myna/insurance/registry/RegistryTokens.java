package org.myna.insurance.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.myna.insurance.config.InsuranceConfig;

import java.time.Instant;

/** This service's own client-credentials token at the registry, reused until shortly before it expires. */
@ApplicationScoped
class RegistryTokens {

    private final RegistryApi api;
    private final InsuranceConfig config;
    private final ObjectMapper json;
    private String token;
    private Instant renewAt = Instant.EPOCH;

    RegistryTokens(@RestClient RegistryApi api, InsuranceConfig config, ObjectMapper json) {
        this.api = api;
        this.config = config;
        this.json = json;
    }

    synchronized String bearer() {
        if (token == null || Instant.now().isAfter(renewAt)) {
            fetch();
        }
        return "Bearer " + token;
    }

    /** After a 401 the cached token is useless (key rotation, registry restart): drop it. */
    synchronized void forget() {
        token = null;
    }

    private void fetch() {
        String answer;
        try {
            answer = api.token("client_credentials", config.registry().clientId(), config.registry().clientSecret());
        } catch (RegistryHttpException e) {
            throw new RegistryUnavailableException("the registry refused this service's credentials (" + e.status + ")");
        }
        try {
            JsonNode node = json.readTree(answer);
            token = node.path("access_token").asText();
            long seconds = node.path("expires_in").asLong(60);
            renewAt = Instant.now().plusSeconds(seconds).minus(config.registry().tokenRefreshMargin());
        } catch (Exception e) {
            throw new RegistryUnavailableException("unreadable token answer from the registry");
        }
    }
}
