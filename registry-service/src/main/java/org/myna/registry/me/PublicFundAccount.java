package org.myna.registry.me;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** 公金受取口座: the account public benefits are paid into; one per resident, one resident per account. */
@Entity
@Table(name = "public_fund_account")
public class PublicFundAccount extends PanacheEntityBase {

    @Id
    @Column(name = "resident_id")
    public Long residentId;

    @Column(name = "bank_code")
    public String bankCode;

    @Column(name = "branch_code")
    public String branchCode;

    @Column(name = "account_type")
    public String accountType;

    @Column(name = "account_number")
    public String accountNumber;

    @Column(name = "holder_kana")
    public String holderKana;

    @Column(name = "registered_at")
    public OffsetDateTime registeredAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
