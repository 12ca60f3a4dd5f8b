package org.myna.platform.testkit;

import io.smallrye.jwt.build.Jwt;

import java.util.Set;
import java.util.UUID;

/**
 * Tokens as the registry issues them, signed with the test key (smallrye-jwt's {@code smallrye.jwt.sign.key.location}
 * of the test profile) that a service under test trusts. A resident's and an operation's token are for one audience.
 */
public final class TestTokens {

    public static final String ISSUER = "https://registry.myna.local";

    private final String audience;

    public TestTokens(String audience) {
        this.audience = audience;
    }

    /** An organisation's client-credentials token, as the registry gives it for every service. */
    public String organisation(String clientId, String role) {
        return Jwt.issuer(ISSUER).subject(clientId).audience(Set.of("registry", "wallet", "insurance"))
                .groups(Set.of(role)).expiresIn(300).sign();
    }

    public String resident(String linkCode) {
        return Jwt.issuer(ISSUER).subject(linkCode).audience(Set.of(audience)).groups(Set.of("resident")).expiresIn(600).sign();
    }

    /** A resident token as the card login makes it: naming the card (this service's reference) it was made with. */
    public String resident(String linkCode, String card) {
        return Jwt.issuer(ISSUER).subject(linkCode).audience(Set.of(audience)).groups(Set.of("resident"))
                .claim("card", card).expiresIn(600).sign();
    }

    /** A resident token without a card claim (an older registry, or another issuer), issued at the given second. */
    public String residentIssuedAt(String linkCode, long issuedAtSeconds) {
        return Jwt.issuer(ISSUER).subject(linkCode).audience(Set.of(audience)).groups(Set.of("resident"))
                .issuedAt(issuedAtSeconds).expiresAt(issuedAtSeconds + 600).sign();
    }

    /** A single-use operation token (its own jti), valid a minute. */
    public String operation(String linkCode, String op) {
        return Jwt.issuer(ISSUER).subject(linkCode).audience(Set.of(audience)).groups(Set.of("operation"))
                .claim("op", op).claim("jti", UUID.randomUUID().toString()).expiresIn(60).sign();
    }

    public String operation(String linkCode, String op, String card) {
        return Jwt.issuer(ISSUER).subject(linkCode).audience(Set.of(audience)).groups(Set.of("operation"))
                .claim("op", op).claim("jti", UUID.randomUUID().toString()).claim("card", card).expiresIn(60).sign();
    }
}
