package org.myna.registry.exchange;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.TokenService;

import java.time.Instant;
import java.util.Set;

/**
 * Asks the insurance service whether a member is linked to a link code, as the registry's own service client.
 * A read, so it is retried; the circuit opens when the service keeps failing; every failure ends as a precise 503.
 */
@ApplicationScoped
public class InsuranceClient {

    private final InsuranceApi api;
    private final TokenService tokens;
    private volatile String token;
    private volatile Instant tokenRenewAt = Instant.EPOCH;

    public InsuranceClient(@RestClient InsuranceApi api, TokenService tokens) {
        this.api = api;
        this.tokens = tokens;
    }

    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 100, abortOn = Problem.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000)
    @Fallback(fallbackMethod = "unavailable", skipOn = Problem.class)
    public boolean linked(String insuranceLinkCode) {
        return api.link(new InsuranceApi.LinkQuery(insuranceLinkCode), "Bearer " + token()).linked();
    }

    boolean unavailable(String insuranceLinkCode) {
        throw new Problem(503, "insurance-unavailable", "The insurance service did not answer; retry later.");
    }

    private String token() {
        if (Instant.now().isAfter(tokenRenewAt)) {
            TokenService.IssuedToken issued = tokens.sign("registry-service", Set.of("insurance"), Set.of("service"));
            token = issued.accessToken();
            tokenRenewAt = Instant.now().plusSeconds(issued.expiresIn() / 2);
        }
        return token;
    }
}
