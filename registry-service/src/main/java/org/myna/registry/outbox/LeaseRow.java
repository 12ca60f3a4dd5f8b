package org.myna.registry.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A row of outbox_lease: who holds a lease and until when ({@link OutboxLease}). */
@Entity
@Table(name = "outbox_lease")
public class LeaseRow extends PanacheEntityBase {

    @Id
    public String name;

    public String holder;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;
}
