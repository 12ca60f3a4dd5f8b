package org.myna.platform.token;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A service's own client-credentials token for another service, fetched once and reused until {@code renewBefore} its
 * expiry; {@link #forget} after a 401 (key rotation, issuer restart) so that the next call fetches a new one. The
 * caller supplies the fetch (its own REST client) and maps its failures.
 */
public final class ServiceTokens {

    /** What the token endpoint answered; a missing lifetime counts as one minute. */
    public record Issued(String accessToken, Long expiresInSeconds) {
    }

    private record Cached(String value, Instant renewAt) {
    }

    private final Supplier<Issued> fetch;
    private final Duration renewBefore;
    private volatile Cached current;

    public ServiceTokens(Supplier<Issued> fetch, Duration renewBefore) {
        this.fetch = fetch;
        this.renewBefore = renewBefore;
    }

    /** The token, fetched only when none is cached or the cached one is due for renewal. */
    public String token() {
        Cached cached = current;
        if (cached == null || Instant.now().isAfter(cached.renewAt())) {
            synchronized (this) {
                cached = current;
                if (cached == null || Instant.now().isAfter(cached.renewAt())) {
                    Issued issued = fetch.get();
                    long lifetime = issued.expiresInSeconds() == null ? 60 : issued.expiresInSeconds();
                    cached = new Cached(issued.accessToken(), Instant.now().plusSeconds(lifetime).minus(renewBefore));
                    current = cached;
                }
            }
        }
        return cached.value();
    }

    public String bearer() {
        return "Bearer " + token();
    }

    public void forget() {
        current = null;
    }
}
