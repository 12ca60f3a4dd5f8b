package org.myna.wallet.support;

import org.myna.platform.testkit.TestTokens;

import java.util.UUID;

/** Tokens as the registry issues them, signed with the test key the wallet trusts (the platform's test kit). */
public final class Tokens {

    private static final TestTokens TOKENS = new TestTokens("wallet");

    private Tokens() {
    }

    public static String organisation(String clientId, String role) {
        return TOKENS.organisation(clientId, role);
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
        return TOKENS.resident(linkCode);
    }

    public static String resident(String linkCode, String card) {
        return TOKENS.resident(linkCode, card);
    }

    public static String residentIssuedAt(String linkCode, long issuedAtSeconds) {
        return TOKENS.residentIssuedAt(linkCode, issuedAtSeconds);
    }

    public static String operation(String linkCode, String op) {
        return TOKENS.operation(linkCode, op);
    }

    public static String operation(String linkCode, String op, String card) {
        return TOKENS.operation(linkCode, op, card);
    }

    public static String linkCode() {
        return "wl-" + UUID.randomUUID().toString().replace("-", "");
    }
}
