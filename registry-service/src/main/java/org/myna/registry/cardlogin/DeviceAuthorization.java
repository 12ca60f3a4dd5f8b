package org.myna.registry.cardlogin;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** One card login from a PC (RFC 8628): see V51 for the rules the table keeps. */
@Entity
@Table(name = "device_authorization")
public class DeviceAuthorization extends PanacheEntityBase {

    static final String PENDING = "pending";
    static final String APPROVED = "approved";
    static final String REDEEMED = "redeemed";

    @Id
    @Column(name = "device_code_hash")
    public String deviceCodeHash;

    @Column(name = "user_code")
    public String userCode;

    @Column(name = "client_id")
    public String clientId;

    /** base64url of 32 random bytes: what the card signs to approve this login, and nothing else. */
    public String nonce;

    public String status;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Column(name = "polled_at")
    public OffsetDateTime polledAt;

    @Column(name = "approved_at")
    public OffsetDateTime approvedAt;

    @Column(name = "resident_id")
    public Long residentId;

    @Column(name = "auth_serial")
    public String authSerial;

    /** An act's approval (V53): the operation token's op and audience, what the card app shows, who may approve. */
    public String operation;

    public String audience;

    @Column(name = "act_detail")
    public String actDetail;

    @Column(name = "for_resident_id")
    public Long forResidentId;
}
