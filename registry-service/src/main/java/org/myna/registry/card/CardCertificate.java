package org.myna.registry.card;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A certificate this CA issued for a card; the serial is lowercase hex. */
@Entity
@Table(name = "certificate")
public class CardCertificate extends PanacheEntityBase {

    public static final String AUTHENTICATION = "authentication";
    public static final String SIGNATURE = "signature";
    public static final String GOOD = "good";
    public static final String REVOKED = "revoked";

    @Id
    public String serial;

    @Column(name = "card_ref")
    public long cardRef;

    public String type;

    @Column(name = "public_key_hash")
    public String publicKeyHash;

    @Column(name = "not_before")
    public OffsetDateTime notBefore;

    @Column(name = "not_after")
    public OffsetDateTime notAfter;

    public String status;

    @Column(name = "revoked_reason")
    public String revokedReason;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    public String pem;

    public boolean isRevoked() {
        return REVOKED.equals(status);
    }

    void revoke(String reason, OffsetDateTime at) {
        if (!isRevoked()) {
            status = REVOKED;
            revokedReason = reason;
            revokedAt = at;
        }
    }
}
