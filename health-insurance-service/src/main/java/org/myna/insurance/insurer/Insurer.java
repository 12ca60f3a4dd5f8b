package org.myna.insurance.insurer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.Optional;

@Entity
@Table(name = "insurer")
public class Insurer extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "insurer_seq")
    @SequenceGenerator(name = "insurer_seq", sequenceName = "insurer_seq", allocationSize = 50)
    public Long id;

    @Column(name = "insurer_number")
    public String insurerNumber;

    public String name;

    @Column(name = "corporate_number")
    public String corporateNumber;

    /** The OAuth client that created this insurer: only it may enrol and read members. */
    @Column(name = "owner_client_id")
    public String ownerClientId;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public static Optional<Insurer> byNumber(String number) {
        return find("insurerNumber", number).firstResultOptional();
    }
}
