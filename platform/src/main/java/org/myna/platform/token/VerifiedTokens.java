package org.myna.platform.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import org.myna.platform.hash.Sha256;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Bearer tokens whose signature and claims smallrye-jwt verified, remembered per SHA-256 of the exact raw token so
 * that a service calling with the same token does not pay an RSA verification per request. An entry is used only
 * strictly before the token's {@code exp} and at most {@link #MAX_AGE} after its verification; after that the token
 * goes through full verification again (which applies smallrye-jwt's own rules, clock skew included), so this cache
 * never accepts a token that verification would refuse at the time it was cached, nor one past its exp. Failures
 * are never remembered; tokens without exp are never remembered. Bounded in entries and token size.
 * Operation tokens (an {@code op} claim) are single-use, so they are never remembered: a second sight of one is
 * refused by its spent jti anyway, and an entry would only take the place of a token that does come back.
 */
public final class VerifiedTokens {

    public static final long MAX_ENTRIES = 10_000;
    public static final Duration MAX_AGE = Duration.ofMinutes(10);
    public static final int MAX_TOKEN_CHARS = 8_192;

    /** The claim that makes a token an operation token (single-use, bound to one act). */
    static final String OPERATION = "op";

    private record Entry(JWTCallerPrincipal principal, long usableUntilMillis) {
    }

    private final Cache<String, Entry> cache = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();
    private final LongSupplier clock;

    public VerifiedTokens() {
        this(System::currentTimeMillis);
    }

    public VerifiedTokens(LongSupplier clockMillis) {
        this.clock = clockMillis;
    }

    /** The principal verified earlier for exactly this token, if still usable; null otherwise. */
    public JWTCallerPrincipal get(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return null;
        }
        String key = digest(token);
        Entry entry = cache.getIfPresent(key);
        if (entry == null) {
            return null;
        }
        if (clock.getAsLong() >= entry.usableUntilMillis()) {
            cache.invalidate(key);
            return null;
        }
        return entry.principal();
    }

    /** Remembers a principal that verification has just accepted for this token. */
    public void put(String token, JWTCallerPrincipal principal) {
        if (token == null || token.length() > MAX_TOKEN_CHARS || principal == null || principal.containsClaim(OPERATION)) {
            return;
        }
        long exp = principal.getExpirationTime();
        if (exp <= 0) {
            return;
        }
        long now = clock.getAsLong();
        long until = Math.min(Math.multiplyExact(exp, 1000L), now + MAX_AGE.toMillis());
        if (until > now) {
            cache.put(digest(token), new Entry(principal, until));
        }
    }

    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private static String digest(String token) {
        return Sha256.hex(token);
    }
}
