package org.myna.wallet.ledger;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * A ledger account. Balances change only through {@link Ledger#post}'s conditional SQL updates, never through this
 * entity's fields (which are read-only copies).
 */
@Entity
@Table(name = "ledger_account")
public class LedgerAccount extends PanacheEntityBase {
    public static final String BUDGET = "budget";
    public static final String RESIDENT = "resident";
    public static final String MERCHANT = "merchant";
    /** A campaign's points held by pending redemption authorisations (the sum of their amounts). */
    public static final String HOLD = "hold";
    public static final String HOLDS_OWNER = "holds";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "ledger_account_seq")
    @SequenceGenerator(name = "ledger_account_seq", sequenceName = "ledger_account_seq", allocationSize = 50)
    public Long id;

    @Column(name = "campaign_id")
    public String campaignId;

    public String kind;

    public String owner;

    @Column(updatable = false)
    public long balance;

    @Column(updatable = false)
    public long debits;

    @Column(updatable = false)
    public long credits;

    public static LedgerAccount open(String campaignId, String kind, String owner) {
        LedgerAccount a = new LedgerAccount();
        a.campaignId = campaignId;
        a.kind = kind;
        a.owner = owner;
        a.persist();
        return a;
    }

    public static LedgerAccount budgetOf(String campaignId) {
        return find("campaignId = ?1 and kind = ?2", campaignId, BUDGET).firstResult();
    }

    public static LedgerAccount residentOf(String campaignId, String resident) {
        return find("campaignId = ?1 and kind = ?2 and owner = ?3", campaignId, RESIDENT, resident).firstResult();
    }
}
