package org.myna.wallet.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

@Entity
@Table(name = "consumed_operation_token")
public class ConsumedOperationToken extends PanacheEntityBase {
    @Id
    public String jti;

    @Column(name = "consumed_at")
    public OffsetDateTime consumedAt;
}
