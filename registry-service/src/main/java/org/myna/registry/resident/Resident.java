package org.myna.registry.resident;

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

@Entity
@Table(name = "resident")
public class Resident extends PanacheEntityBase {

    public static final String ACTIVE = "active";
    public static final String DECEASED = "deceased";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "resident_seq")
    @SequenceGenerator(name = "resident_seq", sequenceName = "resident_seq", allocationSize = 50)
    public Long id;

    @Column(name = "number_hmac")
    public String numberHmac;

    @Column(name = "number_cipher")
    public String numberCipher;

    @Column(name = "family_name")
    public String familyName;

    @Column(name = "given_name")
    public String givenName;

    @Column(name = "family_name_kana")
    public String familyNameKana;

    @Column(name = "given_name_kana")
    public String givenNameKana;

    @Column(name = "date_of_birth")
    public LocalDate dateOfBirth;

    public String sex;

    @Column(name = "postal_code")
    public String postalCode;

    public String prefecture;

    public String municipality;

    @Column(name = "address_line")
    public String addressLine;

    public String status;

    @Column(name = "deceased_on")
    public LocalDate deceasedOn;

    @Version
    public long version;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    /** The client and request key (Idempotency-Key, or batch id + record ref) that created this resident. */
    @Column(name = "registration_client", updatable = false)
    public String registrationClient;

    @Column(name = "registration_key", updatable = false)
    public String registrationKey;

    /** SHA-256 of the registration request: the same key with another body is a conflict, not a repeat. */
    @Column(name = "registration_hash", updatable = false)
    public String registrationHash;

    public boolean isActive() {
        return ACTIVE.equals(status);
    }
}
