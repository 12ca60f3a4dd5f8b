package org.myna.registry.card;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a certificate is worth right now. An authentication certificate of a card that is suspended by its holder,
 * or not yet activated, reports "suspended": it may not authenticate, but nothing is final about it.
 */
public record CertificateStatus(String serial, String type, String status, String reason, OffsetDateTime revokedAt,
                                OffsetDateTime notAfter) {

    public static final String GOOD = "good";
    public static final String REVOKED = "revoked";
    public static final String SUSPENDED = "suspended";
    public static final String EXPIRED = "expired";
    public static final String UNKNOWN = "unknown";

    static CertificateStatus unknown(String serial) {
        return new CertificateStatus(serial, null, UNKNOWN, null, null, null);
    }

    static CertificateStatus of(CardCertificate cert, Card card, OffsetDateTime now) {
        return of(cert.serial, cert.type, cert.status, cert.revokedReason, cert.revokedAt, cert.notBefore, cert.notAfter,
                card.suspended, card.isActive(), now);
    }

    /** The same rules from the columns alone, for a look-up that reads them in one query. */
    static CertificateStatus of(String serial, String type, String certificateStatus, String revokedReason,
                                OffsetDateTime revokedAt, OffsetDateTime notBefore, OffsetDateTime notAfter,
                                boolean cardSuspended, boolean cardActive, OffsetDateTime now) {
        if (CardCertificate.REVOKED.equals(certificateStatus)) {
            return new CertificateStatus(serial, type, REVOKED, revokedReason, revokedAt, notAfter);
        }
        if (now.isAfter(notAfter) || now.isBefore(notBefore)) {
            return new CertificateStatus(serial, type, EXPIRED, null, null, notAfter);
        }
        if (CardCertificate.AUTHENTICATION.equals(type)) {
            if (cardSuspended) {
                return new CertificateStatus(serial, type, SUSPENDED, "suspended-by-holder", null, notAfter);
            }
            if (!cardActive) {
                return new CertificateStatus(serial, type, SUSPENDED, "card-not-activated", null, notAfter);
            }
        }
        return new CertificateStatus(serial, type, GOOD, null, null, notAfter);
    }

    public boolean good() {
        return GOOD.equals(status);
    }

    /** The JSON of the contract: absent members rather than nulls. */
    public Map<String, Object> toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serial", serial);
        if (type != null) {
            body.put("type", type);
        }
        body.put("status", status);
        if (reason != null) {
            body.put("reason", reason);
        }
        if (revokedAt != null) {
            body.put("revokedAt", revokedAt);
        }
        if (notAfter != null) {
            body.put("notAfter", notAfter);
        }
        return body;
    }
}
