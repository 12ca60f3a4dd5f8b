package org.myna.insurance.reconciliation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** A linked member whose registry record no longer agrees: status mismatch, unknown or deceased. */
@Entity
@Table(name = "reconciliation_finding")
public class ReconciliationFinding extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "reconciliation_finding_seq")
    @SequenceGenerator(name = "reconciliation_finding_seq", sequenceName = "reconciliation_finding_seq", allocationSize = 50)
    public Long id;

    @Column(name = "reconciliation_id")
    public Long reconciliationId;

    @Column(name = "member_id")
    public Long memberId;

    public String status;

    public String mismatched;
}
