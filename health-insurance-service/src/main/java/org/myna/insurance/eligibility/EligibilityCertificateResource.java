package org.myna.insurance.eligibility;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.insurance.auth.Roles;

/** 資格確認書: issued by the member's own insurer. */
@Path("/api/eligibility-certificates")
@RolesAllowed(Roles.INSURER)
public class EligibilityCertificateResource {

    private final EligibilityService eligibility;
    private final JsonWebToken jwt;

    public EligibilityCertificateResource(EligibilityService eligibility, JsonWebToken jwt) {
        this.eligibility = eligibility;
        this.jwt = jwt;
    }

    @POST
    public Response issue(@NotNull @Valid Requests.IssueCertificate request) {
        return Response.status(201).entity(eligibility.issueCertificate(request, jwt.getSubject())).build();
    }
}
