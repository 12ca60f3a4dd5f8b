package org.myna.registry.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "outbox_event_seq")
    @SequenceGenerator(name = "outbox_event_seq", sequenceName = "outbox_event_seq", allocationSize = 1)
    public Long id;

    @Column(name = "event_id")
    public String eventId;

    @Column(name = "resident_id")
    public long residentId;

    public String type;

    /** The authentication certificate of the card a card event is about; null for other events. */
    @Column(name = "card_serial")
    public String cardSerial;

    @Column(name = "occurred_at")
    public OffsetDateTime occurredAt;
}
