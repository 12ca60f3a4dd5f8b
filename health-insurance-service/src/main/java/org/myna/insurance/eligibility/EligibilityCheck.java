package org.myna.insurance.eligibility;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** Who asked about whom, how and with what answer: the resident reads these. */
@Entity
@Table(name = "eligibility_check")
public class EligibilityCheck extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "eligibility_check_seq")
    @SequenceGenerator(name = "eligibility_check_seq", sequenceName = "eligibility_check_seq", allocationSize = 50)
    public Long id;

    @Column(name = "member_id")
    public Long memberId;

    @Column(name = "link_code")
    public String linkCode;

    @Column(name = "facility_client_id")
    public String facilityClientId;

    @Column(name = "institution_code")
    public String institutionCode;

    /** The random id of the challenge a card check spent (UNIQUE: a challenge is used once); null for the fallbacks. */
    @Column(name = "nonce_id")
    public String nonceId;

    public String method;

    public String result;

    @Column(name = "checked_at")
    public OffsetDateTime checkedAt;
}
