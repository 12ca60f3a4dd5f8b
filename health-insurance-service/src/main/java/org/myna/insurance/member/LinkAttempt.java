package org.myna.insurance.member;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** One answer of the registry to a link request, kept as evidence of who linked whom and why it failed. */
@Entity
@Table(name = "link_attempt")
public class LinkAttempt extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "link_attempt_seq")
    @SequenceGenerator(name = "link_attempt_seq", sequenceName = "link_attempt_seq", allocationSize = 50)
    public Long id;

    @Column(name = "member_id")
    public Long memberId;

    public String outcome;

    public String mismatched;

    @Column(name = "asked_by")
    public String askedBy;

    @Column(name = "asked_at")
    public OffsetDateTime askedAt;
}
