package org.myna.wallet.eligibility;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** The registry's last word on one person's eligibility facts (table eligibility_fact, V12). */
@Entity
@Table(name = "eligibility_fact")
public class EligibilityFact extends PanacheEntityBase {

    @Id
    @Column(name = "link_code")
    public String linkCode;

    @Column(name = "card_active")
    public boolean cardActive;

    @Column(name = "public_fund_account")
    public boolean publicFundAccount;

    @Column(name = "registry_sequence")
    public long registrySequence;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
