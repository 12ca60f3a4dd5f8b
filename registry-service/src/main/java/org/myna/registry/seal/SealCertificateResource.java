package org.myna.registry.seal;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.myna.platform.ratelimit.RateLimited;
import org.myna.registry.auth.Roles;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/** Seal certificates at the counter, and their public verification. */
@Path("/api/seal-certificates")
public class SealCertificateResource {

    public record CounterRequest(@NotBlank @Size(max = 32) String registrationCardNumber) {
    }

    private final SealCertificateService certificates;

    public SealCertificateResource(SealCertificateService certificates) {
        this.certificates = certificates;
    }

    @Extension(name = "x-refusals", value = "404 seal-not-found, 409 resident-deceased, 409 seal-deregistered")
    @APIResponse(responseCode = "201", description = "The seal certificate", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SealCertificateService.IssuedCertificate.class)))
    @POST
    @RolesAllowed(Roles.CLERK)
    public Response issue(@NotNull @Valid CounterRequest request) {
        return Response.status(201).entity(certificates.issueAtCounter(request.registrationCardNumber())).build();
    }

    /** Certificate number and verification code travel in the body: the code unlocks a name and a date of birth. */
    public record VerificationRequest(String certificateNumber, String verificationCode) {
    }

    @Extension(name = "x-rate-limited", value = "true")
        @POST
    @Path("verifications")
    @PermitAll
    @RateLimited("public-verification") // anyone may ask; nobody may try verification codes by the thousand
    public SealCertificateService.Verification verify(@NotNull VerificationRequest request) {
        return certificates.verify(request.certificateNumber(), request.verificationCode());
    }
}
