package org.myna.wallet.support;

import io.smallrye.jwt.build.Jwt;

import java.util.Set;
import java.util.UUID;

/** Tokens as the registry issues them, signed with the test key the wallet trusts. */
public final class Tokens {

    private static final String ISSUER = "https://registry.myna.local";

    private Tokens() {
    }

    public static String organisation(String clientId, String role) {
        return Jwt.issuer(ISSUER).subject(clientId).audience(Set.of("registry", "wallet", "insurance"))
                .groups(Set.of(role)).expiresIn(300).sign();
    }

    public static String payment(String clientId) {
        return organisation(clientId, "payment-provider");
    }

    public static String auditor() {
        return organisation("demo-auditor", "auditor");
    }

    public static String secondAuditor() {
        return organisation("test-auditor-2", "auditor");
    }

    public static String resident(String linkCode) {
        return Jwt.issuer(ISSUER).subject(linkCode).audience(Set.of("wallet")).groups(Set.of("resident")).expiresIn(600).sign();
    }

    public static String operation(String linkCode, String op) {
        return Jwt.issuer(ISSUER).subject(linkCode).audience(Set.of("wallet")).groups(Set.of("operation"))
                .claim("op", op).claim("jti", UUID.randomUUID().toString()).expiresIn(60).sign();
    }

    /** A resident token as the card login makes it: naming the card (this service's reference) it was made with. */
    public static String resident(String linkCode, String card) {
        return Jwt.issuer(ISSUER).subject(linkCode).audience(Set.of("wallet")).groups(Set.of("resident"))
                .claim("card", card).expiresIn(600).sign();
    }

    public static String operation(String linkCode, String op, String card) {
        return Jwt.issuer(ISSUER).subject(linkCode).audience(Set.of("wallet")).groups(Set.of("operation"))
                .claim("op", op).claim("jti", UUID.randomUUID().toString()).claim("card", card).expiresIn(60).sign();
    }

    /** A resident token without a card claim (an older registry, or another issuer), issued at the given second. */
    public static String residentIssuedAt(String linkCode, long issuedAtSeconds) {
        return Jwt.issuer(ISSUER).subject(linkCode).audience(Set.of("wallet")).groups(Set.of("resident"))
                .issuedAt(issuedAtSeconds).expiresAt(issuedAtSeconds + 600).sign();
    }

    public static String linkCode() {
        return "wl-" + UUID.randomUUID().toString().replace("-", "");
    }
}
