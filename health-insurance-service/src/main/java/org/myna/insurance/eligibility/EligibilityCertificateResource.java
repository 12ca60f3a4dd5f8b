package org.myna.insurance.eligibility;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.idempotency.Idempotency;
import org.myna.insurance.auth.Roles;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/** 資格確認書: issued by the member's own insurer. */
@Path("/api/eligibility-certificates")
@RolesAllowed(Roles.INSURER)
public class EligibilityCertificateResource {

    private final EligibilityService eligibility;
    private final Idempotency idempotency;
    private final JsonWebToken jwt;

    public EligibilityCertificateResource(EligibilityService eligibility, Idempotency idempotency, JsonWebToken jwt) {
        this.eligibility = eligibility;
        this.idempotency = idempotency;
        this.jwt = jwt;
    }

    /** With an Idempotency-Key, a retry gets the first certificate (the same number), never a second one. */
    @Extension(name = "x-refusals", value = "403 not-your-insurer, 404 insurer-not-found, 404 member-not-found")
    @APIResponse(responseCode = "201", description = "The eligibility certificate. A replay of this Idempotency-Key answers the first answer again.", content = @Content(mediaType = "application/json", schema = @Schema(implementation = EligibilityService.IssuedCertificate.class)))
    @POST
    public Response issue(@HeaderParam("Idempotency-Key") String key, @NotNull @Valid Requests.IssueCertificate request) {
        String client = jwt.getSubject();
        if (key == null) {
            return Response.status(201).entity(eligibility.issueCertificate(request, client, null)).build();
        }
        return idempotency.execute(client, key, "POST /api/eligibility-certificates", request, 201,
                ticket -> eligibility.issueCertificate(request, client, ticket));
    }
}
