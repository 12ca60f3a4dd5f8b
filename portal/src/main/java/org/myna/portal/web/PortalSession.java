package org.myna.portal.web;

import java.time.Instant;

/**
 * One browser's session at the portal, held in memory only. The browser holds a random id in an HttpOnly,
 * SameSite=Strict cookie scoped to the page it was made for; the bearer tokens never leave the server.
 */
public final class PortalSession {

    public enum Kind { CLINIC, RESIDENT }

    public final String id;
    public final Kind kind;
    public final Instant createdAt;
    volatile Instant lastSeen;

    /** The organisation's or resident's bearer token at the services and when it stops working. */
    public volatile String accessToken;
    public volatile Instant tokenExpiresAt;

    /** The clinic: who is logged in and under which 医療機関コード. */
    public volatile String clientId;
    public volatile String institutionCode;

    /** The clinic's card check in progress: the nonce the card at the counter must sign. */
    public volatile String challengeId;
    public volatile String nonce;

    /** The resident's card login in progress (RFC 8628): the portal's device code stays here, never in the page. */
    public volatile String deviceCode;
    public volatile String userCode;
    /** RFC 8628 verification_uri_complete (the card app's address with the user code): the page's QR code. */
    public volatile String verificationUriComplete;
    public volatile Instant loginExpiresAt;
    public volatile long pollSeconds;
    public volatile Instant lastPolled;

    /** Her wallet token, from the registry login by token exchange (RFC 8693): no second card signature. */
    public volatile String walletToken;

    /** Her insurance-service token, by the same exchange. */
    public volatile String insuranceToken;

    /** When the registry last accepted her token (her card was good then): ResidentGuard asks again after a while. */
    public volatile Instant cardCheckedAt;

    /** The resident's pairwise subject at the registry: every session of one resident ends together. */
    public volatile String subject;

    /** The act her card is asked to approve now (money.PendingAct), at most one at a time. */
    public volatile Object act;

    /** The last answer, shown once after a redirect (post/redirect/get). */
    public volatile Object flash;

    PortalSession(String id, Kind kind, Instant now) {
        this.id = id;
        this.kind = kind;
        this.createdAt = now;
        this.lastSeen = now;
    }

    public Object takeFlash() {
        Object f = flash;
        flash = null;
        return f;
    }
}
