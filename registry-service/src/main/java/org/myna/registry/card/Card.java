package org.myna.registry.card;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * An issued card. {@code activeResidentId} mirrors {@code residentId} only while the card is active; the unique
 * index on it is what makes two active cards for one resident impossible.
 */
@Entity
@Table(name = "card")
public class Card extends PanacheEntityBase {

    public static final String ISSUED = "issued";
    public static final String ACTIVE = "active";
    public static final String REVOKED = "revoked";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "card_seq")
    @SequenceGenerator(name = "card_seq", sequenceName = "card_seq", allocationSize = 50)
    public Long id;

    @Column(name = "card_id")
    public String cardId;

    @Column(name = "resident_id")
    public long residentId;

    @Column(name = "application_id")
    public String applicationId;

    public String status;

    @Column(name = "active_resident_id")
    public Long activeResidentId;

    public boolean suspended;

    @Column(name = "activation_challenge")
    public String activationChallenge;

    @Column(name = "expires_on")
    public LocalDate expiresOn;

    @Column(name = "issued_at")
    public OffsetDateTime issuedAt;

    @Column(name = "activated_at")
    public OffsetDateTime activatedAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    @Column(name = "revoked_reason")
    public String revokedReason;

    @Version
    public long version;

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public boolean isRevoked() {
        return REVOKED.equals(status);
    }
}
