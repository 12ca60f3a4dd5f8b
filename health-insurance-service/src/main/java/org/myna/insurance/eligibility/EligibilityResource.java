package org.myna.insurance.eligibility;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.insurance.auth.Roles;
import org.myna.platform.ratelimit.RateLimited;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/** Eligibility checks by medical facilities; every answer names its reason and is recorded. */
@Path("/api/eligibility")
@RolesAllowed(Roles.FACILITY)
public class EligibilityResource {

    private final EligibilityService eligibility;
    private final CheckAdmission admission;
    private final JsonWebToken jwt;

    public EligibilityResource(EligibilityService eligibility, CheckAdmission admission, JsonWebToken jwt) {
        this.eligibility = eligibility;
        this.admission = admission;
        this.jwt = jwt;
    }

    @Extension(name = "x-rate-limited", value = "true")
        @APIResponse(responseCode = "201", description = "A nonce for the card to sign", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Challenges.Issued.class)))
    @POST
    @Path("challenges")
    @RateLimited("clinic-challenge") // an HMAC per call; one reception desk needs a few a minute, a hospital a few a second
    public Response challenge(@HeaderParam(Facility.HEADER) String institutionCode) {
        return Response.status(201).entity(eligibility.challenge(Facility.of(jwt, institutionCode))).build();
    }

    @Extension(name = "x-refusals", value = "400 certificate-untrusted, 400 certificate-not-yet-valid, 400 signature-invalid, 409 challenge-used, 422 certificate-unknown, 503 busy, 503 registry-unavailable, 503 commit-outcome-unknown, 503 shutting-down, 503 database-unavailable")
    @POST
    @Path("card-checks")
    public CheckAnswer card(@HeaderParam(Facility.HEADER) String institutionCode, @NotNull @Valid Requests.CardCheck request) {
        Facility facility = Facility.of(jwt, institutionCode);
        return admission.admit(() -> eligibility.cardCheck(facility, request));
    }

    @Extension(name = "x-refusals", value = "503 busy")
    @POST
    @Path("certificate-checks")
    public CheckAnswer certificate(@HeaderParam(Facility.HEADER) String institutionCode,
                                   @NotNull @Valid Requests.CertificateCheck request) {
        return eligibility.certificateCheck(Facility.of(jwt, institutionCode), request);
    }

    @Extension(name = "x-refusals", value = "400 invalid-number, 503 busy, 503 registry-unavailable")
    @POST
    @Path("number-checks")
    public CheckAnswer number(@HeaderParam(Facility.HEADER) String institutionCode, @NotNull @Valid Requests.NumberCheck request) {
        return eligibility.numberCheck(Facility.of(jwt, institutionCode), request);
    }
}
