package org.myna.insurance.support;

import io.smallrye.jwt.build.Jwt;

import java.util.Set;

/** Tokens as the registry would issue them, signed with the test key the service trusts. */
public final class Tokens {

    private Tokens() {
    }

    public static String organisation(String clientId, String role) {
        return Jwt.issuer("https://registry.myna.local").subject(clientId)
                .audience(Set.of("registry", "wallet", "insurance")).groups(Set.of(role)).expiresIn(300).sign();
    }

    public static String insurer(String clientId) {
        return organisation(clientId, "insurer");
    }

    public static String facility() {
        return organisation("demo-facility", "facility");
    }

    public static String service() {
        return organisation("demo-registry-exchange", "service");
    }

    public static String auditor() {
        return organisation("demo-auditor", "auditor");
    }

    public static String resident(String insuranceLinkCode) {
        return Jwt.issuer("https://registry.myna.local").subject(insuranceLinkCode)
                .audience(Set.of("insurance")).groups(Set.of("resident")).expiresIn(600).sign();
    }

    /** A resident token as the card login makes it: naming the card (this service's reference) it was made with. */
    public static String resident(String insuranceLinkCode, String card) {
        return Jwt.issuer("https://registry.myna.local").subject(insuranceLinkCode)
                .audience(Set.of("insurance")).groups(Set.of("resident")).claim("card", card).expiresIn(600).sign();
    }

    public static String operation(String insuranceLinkCode) {
        return Jwt.issuer("https://registry.myna.local").subject(insuranceLinkCode)
                .audience(Set.of("insurance")).groups(Set.of("operation")).claim("op", "apply-points").expiresIn(60).sign();
    }
}
