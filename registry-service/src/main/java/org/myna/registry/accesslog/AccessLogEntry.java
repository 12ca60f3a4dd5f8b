package org.myna.registry.accesslog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

@Entity
@Table(name = "access_log")
public class AccessLogEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "access_log_seq")
    @SequenceGenerator(name = "access_log_seq", sequenceName = "access_log_seq", allocationSize = 50)
    public Long id;

    @Column(name = "resident_id")
    public long residentId;

    public String actor;

    @Column(name = "actor_role")
    public String actorRole;

    public String action;

    public String purpose;

    public String fields;

    public OffsetDateTime at;

    /** The service whose outbox delivered this row (its client id), with its own row id; null for the registry's own. */
    public String source;

    @Column(name = "source_id")
    public Long sourceId;
}
