package org.myna.registry.seal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.OffsetDateTime;

/** A registered seal. Issuance and de-registration both lock this row, so they happen one after the other. */
@Entity
@Table(name = "seal")
public class Seal extends PanacheEntityBase {

    public static final String ACTIVE = "active";
    public static final String DEREGISTERED = "deregistered";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seal_seq")
    @SequenceGenerator(name = "seal_seq", sequenceName = "seal_seq", allocationSize = 50)
    public Long id;

    @Column(name = "resident_id")
    public long residentId;

    /** Equal to residentId while active, null afterwards (the unique constraint allows one active seal). */
    @Column(name = "active_resident_id")
    public Long activeResidentId;

    @Column(name = "registration_card_number")
    public String registrationCardNumber;

    public String status;

    @Column(name = "image_sha256")
    public String imageSha256;

    @Column(name = "media_type")
    public String mediaType;

    @Version
    public long version;

    @Column(name = "registered_at")
    public OffsetDateTime registeredAt;

    @Column(name = "deregistered_at")
    public OffsetDateTime deregisteredAt;

    @Column(name = "deregistration_reason")
    public String deregistrationReason;

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    void deregister(String reason, OffsetDateTime at) {
        status = DEREGISTERED;
        activeResidentId = null;
        deregistrationReason = reason;
        deregisteredAt = at;
    }
}
