package org.myna.insurance.support;

import org.myna.platform.testkit.TestTokens;

/** Tokens as the registry would issue them, signed with the test key the service trusts (the platform's test kit). */
public final class Tokens {

    private static final TestTokens TOKENS = new TestTokens("insurance");

    private Tokens() {
    }

    public static String organisation(String clientId, String role) {
        return TOKENS.organisation(clientId, role);
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
        return TOKENS.resident(insuranceLinkCode);
    }

    public static String resident(String insuranceLinkCode, String card) {
        return TOKENS.resident(insuranceLinkCode, card);
    }

    public static String operation(String insuranceLinkCode) {
        return TOKENS.operation(insuranceLinkCode, "apply-points");
    }
}
