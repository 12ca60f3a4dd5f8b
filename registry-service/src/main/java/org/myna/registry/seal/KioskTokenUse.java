package org.myna.registry.seal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A consumed kiosk operation token; the primary key on jti is what makes the token single-use. */
@Entity
@Table(name = "seal_kiosk_token")
public class KioskTokenUse extends PanacheEntityBase {

    @Id
    public String jti;

    @Column(name = "consumed_at")
    public OffsetDateTime consumedAt;
}
