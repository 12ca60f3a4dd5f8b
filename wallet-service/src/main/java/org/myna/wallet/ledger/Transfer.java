package org.myna.wallet.ledger;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.time.OffsetDateTime;

/**
 * One movement of points, written once and never changed: Hibernate ignores changes to an immutable entity and
 * refuses update/delete queries on it, and the application has no such path. A mistake is undone by a new,
 * reversing transfer ({@code reversesId}).
 */
@Entity
@Immutable
@Table(name = "transfer")
public class Transfer extends PanacheEntityBase {
    public static final String GRANT = "grant";
    public static final String CHARGE_BACK = "charge-back";
    public static final String REDEMPTION = "redemption";
    public static final String CORRECTION = "correction";
    /** Points held for a redemption authorisation (resident to the campaign's hold account). */
    public static final String HOLD = "hold";
    /** A hold returned to the resident on capture, void or expiry (once per authorisation). */
    public static final String RELEASE = "release";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "transfer_seq")
    @SequenceGenerator(name = "transfer_seq", sequenceName = "transfer_seq", allocationSize = 50)
    public Long id;

    /** With {@link #transferKey}, the client-supplied id that makes the effect exactly-once. */
    @Column(name = "client_id")
    public String clientId;

    @Column(name = "transfer_key")
    public String transferKey;

    @Column(name = "debit_account_id")
    public long debitAccountId;

    @Column(name = "credit_account_id")
    public long creditAccountId;

    public long amount;

    public String kind;

    public String rule;

    public String reference;

    @Column(name = "reverses_id")
    public Long reversesId;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
