package org.myna.registry.card;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** Opened by a clerk for one resident; the card's CSRs must name it, and it yields one card at most. */
@Entity
@Table(name = "card_application")
public class CardApplication extends PanacheEntityBase {

    public static final String OPEN = "open";
    public static final String USED = "used";

    @Id
    public String id;

    @Column(name = "resident_id")
    public long residentId;

    public String status;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "used_at")
    public OffsetDateTime usedAt;
}
