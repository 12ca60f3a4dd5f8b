package org.myna.registry.seal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The impression's bytes, kept off the seal row that every issuance locks. */
@Entity
@Table(name = "seal_image")
public class SealImage extends PanacheEntityBase {

    @Id
    @Column(name = "seal_id")
    public Long sealId;

    public byte[] image;
}
