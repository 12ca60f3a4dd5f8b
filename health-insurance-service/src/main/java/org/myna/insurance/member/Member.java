package org.myna.insurance.member;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.myna.insurance.insurer.Insurer;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/** An insured person. Names are kept exactly as the insurer wrote them; the only tie to a resident is the link code. */
@Entity
@Table(name = "member")
public class Member extends PanacheEntityBase {

    public static final String UNLINKED = "unlinked";
    public static final String LINKED = "linked";
    public static final String MISMATCH = "attributes-mismatch";
    public static final String NO_MATCH = "no-match";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "member_seq")
    @SequenceGenerator(name = "member_seq", sequenceName = "member_seq", allocationSize = 50)
    public Long id;

    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "insurer_id")
    public Insurer insurer;

    public String symbol;

    @Column(name = "member_number")
    public String number;

    public String branch;

    @Column(name = "copay_rate")
    public int copayRate;

    @Column(name = "coverage_start")
    public LocalDate coverageStart;

    @Column(name = "coverage_end")
    public LocalDate coverageEnd;

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

    @Column(name = "link_status")
    public String linkStatus;

    @Column(name = "link_code")
    public String linkCode;

    @Column(name = "link_mismatched")
    public String linkMismatched;

    @Column(name = "linked_by")
    public String linkedBy;

    @Column(name = "linked_at")
    public OffsetDateTime linkedAt;

    @Version
    public long version;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    /** Set by a registry event (rename, move, death): the insurer's copy must be checked again. */
    @Column(name = "reverification_reason")
    public String reverificationReason;

    @Column(name = "reverification_since")
    public OffsetDateTime reverificationSince;

    /** covered, coverage-ended or coverage-not-started on this day. */
    public String coverageOn(LocalDate day) {
        if (day.isBefore(coverageStart)) {
            return "coverage-not-started";
        }
        if (coverageEnd != null && day.isAfter(coverageEnd)) {
            return "coverage-ended";
        }
        return "covered";
    }
}
