package org.myna.registry.seal;

import jakarta.annotation.security.RolesAllowed;
import org.myna.registry.auth.OperationTokens;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/**
 * A convenience-store kiosk prints a certificate for the resident who just authenticated with their card: the
 * request carries only the operation token, never a number or a card number, so it cannot name anyone else.
 */
@Path("/api/kiosk/seal-certificates")
@RolesAllowed(OperationTokens.GROUP)
public class KioskCertificateResource {

    private final SealCertificateService certificates;
    private final JsonWebToken token;

    public KioskCertificateResource(SealCertificateService certificates, JsonWebToken token) {
        this.certificates = certificates;
        this.token = token;
    }

    @Extension(name = "x-refusals", value = "403 unknown-requester, 404 no-registered-seal, 409 resident-deceased, 409 seal-deregistered")
    @APIResponse(responseCode = "201", description = "The seal certificate", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SealCertificateService.IssuedCertificate.class)))
    @POST
    public Response issue() {
        return Response.status(201).entity(certificates.issueAtKiosk(token)).build();
    }
}
