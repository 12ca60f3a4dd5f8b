package org.myna.insurance.cardreplica;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** One card as the registry's events describe it: its holder's link code here and its standing. */
@Entity
@Table(name = "card_replica")
public class ReplicaCard extends PanacheEntityBase {

    public static final String ISSUED = "issued";
    public static final String ACTIVE = "active";
    public static final String SUSPENDED = "suspended";
    public static final String REVOKED = "revoked";

    /** SHA-256 (hex) of the authentication certificate's DER. */
    @Id
    @Column(name = "certificate_hash")
    public String certificateHash;

    @Column(name = "link_code")
    public String linkCode;

    public String status;

    public OffsetDateTime since;
}
