package org.myna.wallet.event;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

@Entity
@Table(name = "received_event")
public class ReceivedEvent extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;

    public String type;

    @Column(name = "link_code")
    public String linkCode;

    @Column(name = "occurred_at")
    public OffsetDateTime occurredAt;

    @Column(name = "received_at")
    public OffsetDateTime receivedAt;
}
