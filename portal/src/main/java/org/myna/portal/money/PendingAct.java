package org.myna.portal.money;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One act the resident asked for on a page and her card has yet to approve: what it is (shown on the page and, by
 * the registry, on her card app), the form's values (kept here on the server, never in a URL), the registry's device
 * code for it (never sent to the browser) and the Idempotency-Key its submission will carry.
 */
final class PendingAct {

    /** The acts, their operation at the registry and the page that shows their outcome. */
    enum Kind {
        APPLY_POINTS("apply-points", "/me/points"),
        REGISTER_ACCOUNT("register-public-fund-account", "/me/public-fund-account"),
        CHOOSE_PAYMENT_SERVICE("choose-payment-service", "/me/payment-service");

        final String operation;
        final String page;

        Kind(String operation, String page) {
            this.operation = operation;
            this.page = page;
        }

        public String operation() {
            return operation;
        }

        public String page() {
            return page;
        }

        public String key() {
            return "money.act." + operation;
        }
    }

    final Kind kind;
    /** The act's details in words as the card app shows them (no account holder's name, the number masked). */
    final String detail;
    final Map<String, String> values;
    final String idempotencyKey = UUID.randomUUID().toString();
    final Instant startedAt;
    final String deviceCode;
    final String userCode;
    final Instant expiresAt;
    final long pollSeconds;
    Instant lastPolled;
    /** Set once the portal has redeemed the approval: a second poll never submits the act twice. */
    boolean finished;

    PendingAct(Kind kind, String detail, Map<String, String> values, Instant startedAt, String deviceCode,
               String userCode, Instant expiresAt, long pollSeconds) {
        this.kind = kind;
        this.detail = detail;
        this.values = Map.copyOf(values);
        this.startedAt = startedAt;
        this.deviceCode = deviceCode;
        this.userCode = userCode;
        this.expiresAt = expiresAt;
        this.pollSeconds = pollSeconds;
    }
}
