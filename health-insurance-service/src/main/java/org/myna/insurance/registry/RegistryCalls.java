package org.myna.insurance.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.function.Function;

/**
 * Every call to the registry, guarded: a timeout, a few retries of failed connections and 5xx answers (all calls here
 * are reads or idempotent: linking the same member twice returns the same code; a timed-out call is not retried, see
 * {@link RegistrySlowException}) and a circuit breaker so that a dead registry costs a clinic
 * milliseconds, not seconds. Business answers (4xx) come back as {@link RegistryHttpException} and are neither
 * retried nor counted as failures; only {@link RegistryUnavailableException} is.
 * Limits are overridable per MicroProfile Fault Tolerance config, e.g.
 * {@code org.myna.insurance.registry.RegistryCalls/Retry/maxRetries=0}.
 */
@ApplicationScoped
@Timeout(3000)
@Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = RegistryUnavailableException.class,
        abortOn = {RegistrySlowException.class, TimeoutException.class})
@CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, successThreshold = 2,
        failOn = {RegistryUnavailableException.class, TimeoutException.class})
public class RegistryCalls {

    private final RegistryApi api;
    private final RegistryTokens tokens;

    RegistryCalls(@RestClient RegistryApi api, RegistryTokens tokens) {
        this.api = api;
        this.tokens = tokens;
    }

    public String ca() {
        return guarded(ignored -> api.ca(), false);
    }

    public String holderLink(String body) {
        return guarded(bearer -> api.holderLink(bearer, body), true);
    }

    public String cardStanding(String body) {
        return guarded(bearer -> api.cardStanding(bearer, body), true);
    }

    public String link(String body) {
        return guarded(bearer -> api.link(bearer, body), true);
    }

    private String guarded(Function<String, String> call, boolean authenticated) {
        return guarded(tokens, call, authenticated);
    }

    /** Turns transport failures and refusals into the exceptions the fault-tolerance annotations act on. */
    static String guarded(RegistryTokens tokens, Function<String, String> call, boolean authenticated) {
        try {
            return call.apply(authenticated ? tokens.bearer() : null);
        } catch (RegistryHttpException e) {
            if (e.status == 401) {
                tokens.forget();
                throw new RegistryUnavailableException("the registry did not accept this service's token");
            }
            if (e.status == 403 || e.status == 404 || e.status == 429 || e.status >= 500) {
                throw new RegistryUnavailableException("the registry answered " + e.status);
            }
            throw e;
        } catch (ProcessingException e) {
            if (timedOut(e)) {
                throw new RegistrySlowException("the registry did not answer in time");
            }
            throw new RegistryUnavailableException("the registry is unreachable");
        }
    }

    /** The REST client's read timeout, whatever exception type the transport wraps it in. */
    private static boolean timedOut(Throwable error) {
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException
                    || (t.getMessage() != null && t.getMessage().contains("timeout period"))) {
                return true;
            }
        }
        return false;
    }
}
