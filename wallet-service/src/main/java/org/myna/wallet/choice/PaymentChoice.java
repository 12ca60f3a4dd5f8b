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

/**
 * A resident's one payment service for a campaign; unique per (resident, campaign). It earns only once the provider
 * confirmed the account (DESIGN §6.2): 'pending' holds a binding code (its hash) until the provider confirms it,
 * 'confirmed' names the account, 'unconfirmed' is a binding from before confirmations, or one whose account went to
 * its confirmed owner or was released. A confirmed choice is never changed by the resident.
 */
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

    public static final String PENDING = "pending";
    public static final String CONFIRMED = "confirmed";
    public static final String UNCONFIRMED = "unconfirmed";

    public String status;

    @Column(name = "provider_id")
    public long providerId;

    @Column(name = "payment_account_id")
    public Long paymentAccountId;

    @Column(name = "binding_code_hash")
    public String bindingCodeHash;

    @Column(name = "binding_expires_at")
    public OffsetDateTime bindingExpiresAt;

    @Column(name = "binding_attempts")
    public int bindingAttempts;

    @Column(name = "confirmed_at")
    public OffsetDateTime confirmedAt;

    @Column(name = "confirmed_by")
    public String confirmedBy;

    @Column(name = "chosen_at")
    public OffsetDateTime chosenAt;

    public static PaymentChoice of(String resident, String campaignId) {
        return find("resident = ?1 and campaignId = ?2", resident, campaignId).firstResult();
    }

    public static PaymentChoice byBindingCode(String codeHash) {
        return find("bindingCodeHash", codeHash).firstResult();
    }
}
