package org.myna.wallet.application;

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
 * A person's grant under one rule of one campaign: unique per (campaign, resident, rule), so a second grant is
 * impossible; {@code granted} grows only by a conditional update and is CHECKed against {@code cap}.
 */
@Entity
@Table(name = "grant_record")
public class GrantRecord extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "grant_record_seq")
    @SequenceGenerator(name = "grant_record_seq", sequenceName = "grant_record_seq", allocationSize = 50)
    public Long id;

    @Column(name = "campaign_id")
    public String campaignId;

    public String resident;

    public String rule;

    @Column(updatable = false)
    public long granted;

    public long cap;

    @Column(name = "transfer_id")
    public Long transferId;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public static GrantRecord of(String campaignId, String resident, String rule) {
        return find("campaignId = ?1 and resident = ?2 and rule = ?3", campaignId, resident, rule).firstResult();
    }
}
