package org.myna.wallet.campaign;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** A rule of a campaign: a fixed grant, or a percentage back on charges up to a cap per person. */
@Entity
@Table(name = "campaign_rule")
public class CampaignRule extends PanacheEntityBase {
    public static final String FIXED = "fixed";
    public static final String PERCENT_BACK = "percent-back";

    public static final String CARD_ACQUISITION = "card-acquisition";
    public static final String INSURANCE_LINK = "insurance-link";
    public static final String PUBLIC_FUND_ACCOUNT = "public-fund-account";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "campaign_rule_seq")
    @SequenceGenerator(name = "campaign_rule_seq", sequenceName = "campaign_rule_seq", allocationSize = 50)
    public Long id;

    @Column(name = "campaign_id")
    public String campaignId;

    public String rule;

    public String kind;

    public Long amount;

    public Integer percent;

    public long cap;

    public boolean fixed() {
        return FIXED.equals(kind);
    }

    public static CampaignRule of(String campaignId, String rule) {
        return find("campaignId = ?1 and rule = ?2", campaignId, rule).firstResult();
    }
}
