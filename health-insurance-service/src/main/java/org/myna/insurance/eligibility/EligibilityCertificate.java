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

/** 資格確認書: a paper fallback for members without a usable card, identified by an unguessable number. */
@Entity
@Table(name = "eligibility_certificate")
public class EligibilityCertificate extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "eligibility_certificate_seq")
    @SequenceGenerator(name = "eligibility_certificate_seq", sequenceName = "eligibility_certificate_seq", allocationSize = 50)
    public Long id;

    @Column(name = "member_id")
    public Long memberId;

    @Column(name = "certificate_number")
    public String certificateNumber;

    @Column(name = "issued_by")
    public String issuedBy;

    @Column(name = "issued_at")
    public OffsetDateTime issuedAt;
}
