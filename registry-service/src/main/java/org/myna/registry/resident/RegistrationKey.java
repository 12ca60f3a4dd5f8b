package org.myna.registry.resident;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.OffsetDateTime;

/** Binds a client's request key to the resident it created: the same key never registers twice. */
@Entity
@Table(name = "registration_key")
public class RegistrationKey extends PanacheEntityBase {

    @EmbeddedId
    public Key key;

    @Column(name = "request_hash")
    public String requestHash;

    @Column(name = "resident_id")
    public long residentId;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Embeddable
    public record Key(@Column(name = "client_id") String clientId,
                      @Column(name = "request_key") String requestKey) implements Serializable {
    }
}
