package org.myna.registry.resident;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** The state before a move, a change of name or a death, so that the register keeps its history. */
@Entity
@Table(name = "resident_change")
public class ResidentChange extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "resident_change_seq")
    @SequenceGenerator(name = "resident_change_seq", sequenceName = "resident_change_seq", allocationSize = 50)
    public Long id;

    @Column(name = "resident_id")
    public long residentId;

    public String kind;

    @Column(name = "before_state")
    public String beforeState;

    @Column(name = "changed_by")
    public String changedBy;

    @Column(name = "changed_at")
    public OffsetDateTime changedAt;
}
