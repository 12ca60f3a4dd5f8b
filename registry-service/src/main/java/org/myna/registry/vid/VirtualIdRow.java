package org.myna.registry.vid;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** One virtual ID of a resident, known only by its keyed hash. */
@Entity
@Table(name = "virtual_id")
public class VirtualIdRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "virtual_id_seq")
    @SequenceGenerator(name = "virtual_id_seq", sequenceName = "virtual_id_seq", allocationSize = 50)
    public Long id;

    @Column(name = "resident_id")
    public Long residentId;

    @Column(name = "vid_hmac")
    public String vidHmac;

    @Column(name = "active_resident_id")
    public Long activeResidentId;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;

    @Column(name = "end_reason")
    public String endReason;

    void end(String reason, OffsetDateTime at) {
        activeResidentId = null;
        endedAt = at;
        endReason = reason;
    }
}
