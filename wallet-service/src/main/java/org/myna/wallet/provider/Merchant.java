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

/** A shop where points are spent; its ledger account is where redeemed points settle. */
@Entity
@Table(name = "merchant")
public class Merchant extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "merchant_seq")
    @SequenceGenerator(name = "merchant_seq", sequenceName = "merchant_seq", allocationSize = 50)
    public Long id;

    @Column(name = "corporate_number")
    public String corporateNumber;

    public String name;

    @Column(name = "registered_by")
    public String registeredBy;

    @Column(name = "account_id")
    public long accountId;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public static Merchant byCorporateNumber(String corporateNumber) {
        return find("corporateNumber", corporateNumber).firstResult();
    }
}
