package org.myna.wallet.campaign;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/**
 * A point campaign. {@code granted} moves only through {@link org.myna.wallet.ledger.Ledger} with conditional
 * updates; the CHECK {@code granted <= budget} holds under any concurrency.
 */
@Entity
@Table(name = "campaign")
public class Campaign extends PanacheEntityBase {
    @Id
    public String id;

    public String name;

    public long budget;

    public long granted;

    @Column(name = "starts_at")
    public OffsetDateTime startsAt;

    @Column(name = "ends_at")
    public OffsetDateTime endsAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public boolean openAt(OffsetDateTime now) {
        return !now.isBefore(startsAt) && now.isBefore(endsAt);
    }
}
