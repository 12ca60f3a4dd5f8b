package org.myna.platform.token;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The verified-token cache never answers past a token's exp, for another token, or for a token without exp. */
class VerifiedTokensTest {

    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final VerifiedTokens cache = new VerifiedTokens(now::get);

    private static JWTCallerPrincipal principal(Long expSeconds) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("insurance-service");
        if (expSeconds != null) {
            claims.setExpirationTime(NumericDate.fromSeconds(expSeconds));
        }
        return new DefaultJWTCallerPrincipal(claims);
    }

    @Test
    void answersTheSameTokenOnlyStrictlyBeforeItsExp() {
        long exp = now.get() / 1000 + 120;
        JWTCallerPrincipal p = principal(exp);
        cache.put("header.payload.signature", p);
        assertThat(cache.get("header.payload.signature")).isSameAs(p);
        now.set(exp * 1000 - 1);
        assertThat(cache.get("header.payload.signature")).isSameAs(p);
        now.set(exp * 1000);
        assertThat(cache.get("header.payload.signature")).isNull();
        // and it is gone, not merely hidden: going back in time does not bring it back
        now.set(exp * 1000 - 60_000);
        assertThat(cache.get("header.payload.signature")).isNull();
    }

    @Test
    void anyOtherTokenIsAMiss() {
        cache.put("header.payload.signature", principal(now.get() / 1000 + 120));
        assertThat(cache.get("header.payload.signaturf")).isNull();
        assertThat(cache.get("header.payloaD.signature")).isNull();
        assertThat(cache.get("header.payload.signature ")).isNull();
        assertThat(cache.get(null)).isNull();
    }

    @Test
    void neverRemembersASingleUseOperationToken() {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("resident");
        claims.setClaim("op", "apply-points");
        claims.setExpirationTime(NumericDate.fromSeconds(now.get() / 1000 + 120));
        cache.put("operation-token", new DefaultJWTCallerPrincipal(claims));
        assertThat(cache.get("operation-token")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void neverRemembersATokenWithoutExpOrAlreadyExpired() {
        cache.put("no-exp", principal(null));
        cache.put("expired", principal(now.get() / 1000 - 1));
        assertThat(cache.get("no-exp")).isNull();
        assertThat(cache.get("expired")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aLongLivedTokenIsVerifiedAgainAfterTheMaximumAge() {
        cache.put("long", principal(now.get() / 1000 + 86_400));
        now.addAndGet(VerifiedTokens.MAX_AGE.toMillis() - 1);
        assertThat(cache.get("long")).isNotNull();
        now.addAndGet(1);
        assertThat(cache.get("long")).isNull();
    }

    @Test
    void oversizeTokensAreNotRemembered() {
        String huge = "x".repeat(VerifiedTokens.MAX_TOKEN_CHARS + 1);
        cache.put(huge, principal(now.get() / 1000 + 120));
        assertThat(cache.get(huge)).isNull();
    }
}
