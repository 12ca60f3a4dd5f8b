package org.myna.wallet.choice;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** An account at a payment service, bound for good to the resident who first chose it (unique constraint). */
@Entity
@Table(name = "payment_account")
public class PaymentAccount extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "payment_account_seq")
    @SequenceGenerator(name = "payment_account_seq", sequenceName = "payment_account_seq", allocationSize = 50)
    public Long id;

    @Column(name = "provider_id")
    public long providerId;

    @Column(name = "account_ref")
    public String accountRef;

    /** The resident's link code for the wallet. */
    public String resident;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public static PaymentAccount of(long providerId, String accountRef) {
        return find("providerId = ?1 and accountRef = ?2", providerId, accountRef).firstResult();
    }
}
