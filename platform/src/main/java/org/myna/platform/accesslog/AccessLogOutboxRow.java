package org.myna.platform.accesslog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/**
 * One row of a resident's access log that the registry does not have yet. A service that records reads needs table
 * access_log_outbox (its own migration) and this package among its Hibernate packages.
 */
@Entity
@Table(name = "access_log_outbox")
public class AccessLogOutboxRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The resident's link code for this service: the registry alone can tell whose it is. */
    @Column(name = "link_code")
    public String linkCode;

    @Column(name = "client_id")
    public String clientId;

    public String role;

    public String action;

    public String purpose;

    public String fields;

    public OffsetDateTime at;

    public int attempts;

    /** The delivery that holds the row, until {@link #leaseUntil}; afterwards any sender may take it (again). */
    @Column(name = "lease_token")
    public String leaseToken;

    @Column(name = "lease_until")
    public OffsetDateTime leaseUntil;

    /** Set when the registry refused this row alone as malformed: kept for inspection, never sent again. */
    @Column(name = "rejected_at")
    public OffsetDateTime rejectedAt;
}
