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

/** A resident's one payment service for a campaign; unique per (resident, campaign), never changed. */
@Entity
@Table(name = "payment_choice")
public class PaymentChoice extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "payment_choice_seq")
    @SequenceGenerator(name = "payment_choice_seq", sequenceName = "payment_choice_seq", allocationSize = 50)
    public Long id;

    @Column(name = "campaign_id")
    public String campaignId;

    public String resident;

    @Column(name = "payment_account_id")
    public long paymentAccountId;

    @Column(name = "chosen_at")
    public OffsetDateTime chosenAt;

    public static PaymentChoice of(String resident, String campaignId) {
        return find("resident = ?1 and campaignId = ?2", resident, campaignId).firstResult();
    }

    public static PaymentChoice forAccount(long paymentAccountId, String campaignId) {
        return find("paymentAccountId = ?1 and campaignId = ?2", paymentAccountId, campaignId).firstResult();
    }
}
