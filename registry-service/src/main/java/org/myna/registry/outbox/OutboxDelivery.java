package org.myna.registry.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.OffsetDateTime;

@Entity
@Table(name = "outbox_delivery")
public class OutboxDelivery extends PanacheEntityBase {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    /** The subscriber holds no link code for this resident: there is nobody there to tell. */
    public static final String SKIPPED = "skipped";

    @EmbeddedId
    public Key key;

    @Column(name = "resident_id")
    public long residentId;

    public String status;

    public int attempts;

    @Column(name = "next_attempt_at")
    public OffsetDateTime nextAttemptAt;

    @Column(name = "delivered_at")
    public OffsetDateTime deliveredAt;

    @Column(name = "last_error")
    public String lastError;

    @Embeddable
    public record Key(@Column(name = "event_ref") long eventRef, String subscriber) implements Serializable {
    }
}
