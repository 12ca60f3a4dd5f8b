package org.myna.registry.seal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** An issued seal certificate: which seal, in which version, for whom, when. The document itself is not kept. */
@Entity
@Table(name = "seal_certificate")
public class SealCertificate extends PanacheEntityBase {

    public static final String COUNTER = "counter";
    public static final String KIOSK = "kiosk";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "seal_certificate_seq")
    @SequenceGenerator(name = "seal_certificate_seq", sequenceName = "seal_certificate_seq", allocationSize = 50)
    public Long id;

    public String number;

    @Column(name = "code_sha256")
    public String codeSha256;

    @Column(name = "seal_id")
    public long sealId;

    @Column(name = "seal_version")
    public long sealVersion;

    @Column(name = "resident_id")
    public long residentId;

    public String channel;

    @Column(name = "issued_by")
    public String issuedBy;

    @Column(name = "issued_at")
    public OffsetDateTime issuedAt;
}
