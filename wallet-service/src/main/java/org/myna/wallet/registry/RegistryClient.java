package org.myna.wallet.registry;

import org.myna.platform.cardstanding.CardStandingFallback;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.myna.platform.problem.Problem;
import org.myna.platform.token.ServiceTokens;
import org.myna.wallet.config.WalletConfig;

/**
 * Asks the registry's exchange whether a resident meets a condition. The service token (client credentials) is
 * cached until shortly before it expires. Timeouts, a retry, a circuit breaker and a fallback turn an unreachable
 * registry into a clear 503 {@code registry-unavailable}, never a wrong "not eligible". Called outside any
 * database transaction.
 */
@ApplicationScoped
public class RegistryClient implements CardStandingFallback {

    public static final String CARD_ACTIVE = "card-active";
    public static final String INSURANCE_LINKED = "insurance-linked";
    public static final String PUBLIC_FUND_ACCOUNT = "public-fund-account";

    private static final Logger LOG = Logger.getLogger(RegistryClient.class);

    private final RegistryApi api;
    private final ServiceTokens tokens;

    public RegistryClient(@RestClient RegistryApi api, WalletConfig config) {
        this.api = api;
        this.tokens = new ServiceTokens(() -> {
            RegistryApi.TokenResponse response = api.token("client_credentials", config.registry().clientId(), config.registry().clientSecret());
            return new ServiceTokens.Issued(response.access_token(), response.expires_in());
        }, config.registry().tokenRenewBefore());
    }

    @Timeout(3000)
    @Retry(maxRetries = 1, delay = 100, abortOn = Problem.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, successThreshold = 2, skipOn = Problem.class)
    @Fallback(fallbackMethod = "unavailable", skipOn = Problem.class)
    public boolean eligible(String linkCode, String question) {
        RegistryApi.EligibilityAnswer answer;
        try {
            answer = api.eligibility(tokens.bearer(), new RegistryApi.EligibilityQuestion(linkCode, question));
        } catch (WebApplicationException e) {
            if (e.getResponse() != null && e.getResponse().getStatus() == 401) {
                forgetToken();
            }
            throw e;
        }
        if (answer == null || answer.answer() == null) {
            throw new IllegalStateException("registry answered without an answer");
        }
        return answer.answer();
    }

    /**
     * Whether a payment account holder's name in kana is the resident's (DESIGN §6.2); the registry answers yes or no
     * and never the name. Unreachable: 503 registry-unavailable, never a guess.
     */
    @Timeout(3000)
    @Retry(maxRetries = 1, delay = 100, abortOn = Problem.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, successThreshold = 2, skipOn = Problem.class)
    @Fallback(fallbackMethod = "unavailable", skipOn = Problem.class)
    public boolean holderNameMatches(String linkCode, String holderKana) {
        RegistryApi.HolderNameAnswer answer;
        try {
            answer = api.holderName(tokens.bearer(), new RegistryApi.HolderNameQuestion(linkCode, holderKana));
        } catch (WebApplicationException e) {
            if (e.getResponse() != null && e.getResponse().getStatus() == 401) {
                forgetToken();
            }
            throw e;
        }
        if (answer == null || answer.matches() == null) {
            throw new IllegalStateException("registry answered without an answer");
        }
        return answer.matches();
    }

    /**
     * DESIGN §6.7: when the wallet's copy of the card events is stale, the registry judges the token's card itself.
     * Any failure propagates, and the platform refuses the token with 503: never honoured on a guess.
     */
    @Override
    @Timeout(2000)
    @Retry(maxRetries = 1, delay = 50)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2000, successThreshold = 2)
    public String standing(String linkCode, String cardRef) {
        try {
            RegistryApi.Standing answer = api.cardStanding(tokens.bearer(), new RegistryApi.StandingQuery(linkCode, cardRef));
            if (answer == null || answer.standing() == null) {
                throw new IllegalStateException("registry answered without a standing");
            }
            return answer.standing();
        } catch (WebApplicationException e) {
            if (e.getResponse() != null && e.getResponse().getStatus() == 401) {
                forgetToken();
            }
            throw new CardStandingFallback.Unavailable(e);
        }
    }

    boolean unavailable(String linkCode, String question, Throwable cause) {
        // The cause may carry a response body; log only its type.
        LOG.warnf("registry exchange unavailable (%s)", cause.getClass().getSimpleName());
        throw new Problem(503, "registry-unavailable", "The registry cannot confirm eligibility right now; retry later.");
    }

    /** The service token, for the access-log delivery ({@link RegistryAccessLog}), which has its own failure handling. */
    String bearer() {
        return tokens.bearer();
    }

    /** A 401 from the registry means our cached token went stale early: drop it so the retry fetches a new one. */
    void forgetToken() {
        tokens.forget();
    }
}
