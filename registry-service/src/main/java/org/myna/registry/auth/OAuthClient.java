package org.myna.registry.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

@Entity
@Table(name = "oauth_client")
public class OAuthClient extends PanacheEntityBase {

    @Id
    @Column(name = "client_id")
    public String clientId;

    @Column(name = "secret_hash")
    public String secretHash;

    /** Space-separated role names. */
    public String roles;

    /** The organisation's name as residents read it in their access log; null until configured. */
    @Column(name = "organisation_name")
    public String organisationName;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public List<String> roleList() {
        return Arrays.asList(roles.split(" "));
    }
}
