package org.myna.platform.idempotency;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A client's request under its Idempotency-Key: reserved first (status null), then completed with its response. */
@Entity
@Table(name = "idempotency_record")
public class IdempotencyRecord extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "idempotency_record_seq")
    @SequenceGenerator(name = "idempotency_record_seq", sequenceName = "idempotency_record_seq", allocationSize = 50)
    public Long id;

    public String scope;

    @Column(name = "idem_key")
    public String key;

    public String endpoint;

    @Column(name = "request_hash")
    public String requestHash;

    public Integer status;

    @Column(name = "response_body")
    public String responseBody;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
