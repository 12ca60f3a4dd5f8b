package org.myna.platform.cardstanding;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.OffsetDateTime;

/** The last word of the registry about one card of one link code. A revocation is final. */
@Entity
@Table(name = "card_standing")
public class CardStanding extends PanacheEntityBase {

    public static final String REVOKED = "revoked";
    public static final String SUSPENDED = "suspended";
    public static final String RESUMED = "resumed";
    /** The card of an event that named none: judged by the token's issue time instead. */
    public static final String ANY_CARD = "";

    @EmbeddedId
    public Key key;

    public String status;

    public OffsetDateTime since;

    @Embeddable
    public record Key(@Column(name = "link_code") String linkCode, @Column(name = "card_ref") String cardRef) implements Serializable {
    }
}
