package org.myna.insurance.registry;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Page calls to the registry (up to 500 links each), guarded apart from the clinics' calls in {@link RegistryCalls}:
 * a longer timeout, because a page is seconds of work on a busy registry, and a circuit breaker of their own, so
 * that slow pages of an enrolment or a reconciliation never open the breaker that card checks depend on. Both calls
 * are safe to repeat (linking answers the same code again; verifying reads), so a failed connection is retried once.
 * Limits are overridable per MicroProfile Fault Tolerance config, e.g.
 * {@code org.myna.insurance.registry.RegistryBulkCalls/Timeout/value=60000}.
 */
@ApplicationScoped
@Timeout(60_000)
@Retry(maxRetries = 1, delay = 500, jitter = 200, retryOn = RegistryUnavailableException.class,
        abortOn = {RegistrySlowException.class, TimeoutException.class})
@CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000, successThreshold = 1,
        failOn = {RegistryUnavailableException.class, TimeoutException.class})
public class RegistryBulkCalls {

    private final RegistryBulkApi api;
    private final RegistryTokens tokens;

    RegistryBulkCalls(@RestClient RegistryBulkApi api, RegistryTokens tokens) {
        this.api = api;
        this.tokens = tokens;
    }

    public String linkAll(String body) {
        return RegistryCalls.guarded(tokens, bearer -> api.linkBatch(bearer, body), true);
    }

    public String verifyAll(String body) {
        return RegistryCalls.guarded(tokens, bearer -> api.verifications(bearer, body), true);
    }
}
