package org.myna.wallet.correction;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A proposed reversal of a transfer; executed as a new transfer only when a second auditor approves. */
@Entity
@Table(name = "correction")
public class Correction extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "correction_seq")
    @SequenceGenerator(name = "correction_seq", sequenceName = "correction_seq", allocationSize = 50)
    public Long id;

    @Column(name = "transfer_id")
    public long transferId;

    public String reason;

    @Column(name = "proposed_by")
    public String proposedBy;

    @Column(name = "proposed_at")
    public OffsetDateTime proposedAt;

    @Column(name = "approved_by")
    public String approvedBy;

    @Column(name = "approved_at")
    public OffsetDateTime approvedAt;

    @Column(name = "correcting_transfer_id")
    public Long correctingTransferId;
}
