package org.myna.registry.ca;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The trust anchor for card certificates, public so that any verifier can pin it. */
@Path("/api/ca")
@PermitAll
public class CaResource {

    private final CertificateAuthority ca;

    public CaResource(CertificateAuthority ca) {
        this.ca = ca;
    }

    /** The CA certificate, PEM. */
    public record CaCertificate(String certificate) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public CaCertificate certificate() {
        return new CaCertificate(ca.certificatePem());
    }
}
