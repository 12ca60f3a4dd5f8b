package org.myna.insurance.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.myna.insurance.config.InsuranceConfig;
import org.myna.platform.token.ServiceTokens;

/** This service's own client-credentials token at the registry, reused until shortly before it expires. */
@ApplicationScoped
class RegistryTokens {

    private final ServiceTokens tokens;

    RegistryTokens(@RestClient RegistryApi api, InsuranceConfig config, ObjectMapper json) {
        this.tokens = new ServiceTokens(() -> {
            String answer;
            try {
                answer = api.token("client_credentials", config.registry().clientId(), config.registry().clientSecret());
            } catch (RegistryHttpException e) {
                throw new RegistryUnavailableException("the registry refused this service's credentials (" + e.status + ")");
            }
            try {
                RegistryContract.TokenAnswer token = json.readValue(answer, RegistryContract.TokenAnswer.class);
                return new ServiceTokens.Issued(token.accessToken() == null ? "" : token.accessToken(),
                        token.expiresIn() == null ? 60 : token.expiresIn());
            } catch (Exception e) {
                throw new RegistryUnavailableException("unreadable token answer from the registry");
            }
        }, config.registry().tokenRefreshMargin());
    }

    String bearer() {
        return tokens.bearer();
    }

    /** After a 401 the cached token is useless (key rotation, registry restart): drop it. */
    void forget() {
        tokens.forget();
    }
}
