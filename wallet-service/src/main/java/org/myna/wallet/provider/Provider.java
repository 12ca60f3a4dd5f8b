package org.myna.wallet.provider;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A payment service (cashless provider) a resident may choose; only its owner client may charge or redeem on it. */
@Entity
@Table(name = "provider")
public class Provider extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "provider_seq")
    @SequenceGenerator(name = "provider_seq", sequenceName = "provider_seq", allocationSize = 50)
    public Long id;

    @Column(name = "corporate_number")
    public String corporateNumber;

    public String name;

    @Column(name = "owner_client")
    public String ownerClient;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public static Provider byCorporateNumber(String corporateNumber) {
        return find("corporateNumber", corporateNumber).firstResult();
    }
}
