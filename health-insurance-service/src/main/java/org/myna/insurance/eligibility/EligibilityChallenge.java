package org.myna.insurance.eligibility;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

@Entity
@Table(name = "eligibility_challenge")
public class EligibilityChallenge extends PanacheEntityBase {

    @Id
    public String id;

    /** base64url of the random bytes the card signs. */
    public String nonce;

    @Column(name = "facility_client_id")
    public String facilityClientId;

    @Column(name = "institution_code")
    public String institutionCode;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Column(name = "used_at")
    public OffsetDateTime usedAt;
}
