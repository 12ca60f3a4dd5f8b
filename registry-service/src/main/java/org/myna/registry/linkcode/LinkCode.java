package org.myna.registry.linkcode;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.OffsetDateTime;

@Entity
@Table(name = "link_code")
public class LinkCode extends PanacheEntityBase {

    @EmbeddedId
    public Key key;

    public String code;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Embeddable
    public record Key(@Column(name = "resident_id") long residentId, String audience) implements Serializable {
    }
}
