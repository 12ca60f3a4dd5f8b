package org.myna.registry.ca;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/** The trust anchor for card certificates, public so that any verifier can pin it. */
@Path("/api/ca")
@PermitAll
public class CaResource {

    private final CertificateAuthority ca;

    public CaResource(CertificateAuthority ca) {
        this.ca = ca;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> certificate() {
        return Map.of("certificate", ca.certificatePem());
    }
}
