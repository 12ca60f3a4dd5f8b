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
        if (cert.isRevoked()) {
            return new CertificateStatus(cert.serial, cert.type, REVOKED, cert.revokedReason, cert.revokedAt, cert.notAfter);
        }
        if (now.isAfter(cert.notAfter) || now.isBefore(cert.notBefore)) {
            return new CertificateStatus(cert.serial, cert.type, EXPIRED, null, null, cert.notAfter);
        }
        if (CardCertificate.AUTHENTICATION.equals(cert.type)) {
            if (card.suspended) {
                return new CertificateStatus(cert.serial, cert.type, SUSPENDED, "suspended-by-holder", null, cert.notAfter);
            }
            if (!card.isActive()) {
                return new CertificateStatus(cert.serial, cert.type, SUSPENDED, "card-not-activated", null, cert.notAfter);
            }
        }
        return new CertificateStatus(cert.serial, cert.type, GOOD, null, null, cert.notAfter);
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
