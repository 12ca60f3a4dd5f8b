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

/** A provider's release of a wrongly bound account, with its audit reason. */
@Entity
@Table(name = "payment_release")
public class PaymentRelease extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "payment_release_seq")
    @SequenceGenerator(name = "payment_release_seq", sequenceName = "payment_release_seq", allocationSize = 50)
    public Long id;

    @Column(name = "campaign_id")
    public String campaignId;

    public String resident;

    @Column(name = "provider_id")
    public long providerId;

    @Column(name = "account_ref")
    public String accountRef;

    public String reason;

    @Column(name = "released_by")
    public String releasedBy;

    @Column(name = "released_at")
    public OffsetDateTime releasedAt;
}
