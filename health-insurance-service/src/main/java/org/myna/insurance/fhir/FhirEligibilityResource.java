package org.myna.insurance.fhir;

import jakarta.annotation.security.PermitAll;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CoverageEligibilityRequest;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.myna.insurance.auth.Roles;
import org.myna.insurance.eligibility.Challenges;
import org.myna.insurance.eligibility.CheckAdmission;
import org.myna.insurance.eligibility.CheckAnswer;
import org.myna.insurance.eligibility.EligibilityService;
import org.myna.insurance.eligibility.Facility;
import org.myna.platform.problem.Problem;
import org.myna.platform.ratelimit.RateLimited;

import java.util.Date;

/**
 * HL7 FHIR R4 façade over the clinic's eligibility checks: the same checks, the same authentication (a facility's
 * bearer token and institution code), the same records and access-log rows, the same admission control; only the
 * language differs. Declared operations, not a create: {@code POST /fhir/CoverageEligibilityRequest/$check} and
 * {@code $challenge}; the CapabilityStatement at {@code GET /fhir/metadata}. Refusals are OperationOutcomes
 * ({@link FhirOutcomes}). None is in the OpenAPI document, which describes the JSON APIs: FHIR clients read the
 * CapabilityStatement and its OperationDefinitions instead.
 */
@Path("/fhir")
@Tag(name = "FHIR R4", description = "Eligibility for hospital information systems, in application/fhir+json")
@PermitAll
public class FhirEligibilityResource {

    private final EligibilityService eligibility;
    private final CheckAdmission admission;
    private final JsonWebToken jwt;
    private final FhirJson fhir;
    private final String version;
    private final SecurityIdentity identity;

    public FhirEligibilityResource(EligibilityService eligibility, CheckAdmission admission, JsonWebToken jwt, FhirJson fhir,
                                   @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version,
                                   SecurityIdentity identity) {
        this.identity = identity;
        this.eligibility = eligibility;
        this.admission = admission;
        this.jwt = jwt;
        this.fhir = fhir;
        this.version = version;
    }

    @GET
    @Path("metadata")
    @PermitAll
    @Produces({FhirJson.FHIR_JSON, MediaType.APPLICATION_JSON})
    @Operation(summary = "The CapabilityStatement: what this FHIR endpoint supports", hidden = true)
    public Response metadata() {
        return ok(FhirConformance.capabilities(version));
    }

    @GET
    @Path("OperationDefinition/{id}")
    @PermitAll
    @Produces({FhirJson.FHIR_JSON, MediaType.APPLICATION_JSON})
    @Operation(summary = "The definition of $check or $challenge", hidden = true)
    public Response operationDefinition(@PathParam("id") String id) {
        return FhirConformance.operation(id).map(this::ok)
                .orElseThrow(() -> Problem.notFound("not-found", "No such OperationDefinition."));
    }

    /**
     * The operations: {@code $challenge} and {@code $check}. One template with a regular expression: JAX-RS reads a
     * literal {@code $} in a path as the end of the pattern, and matches the raw path, where a client may have written %24.
     * Both are left out of the OpenAPI document: the two templates would collapse into one path there, and FHIR clients
     * discover operations from the CapabilityStatement ({@code GET /fhir/metadata}) and its OperationDefinitions.
     */
    @POST
    @Path("CoverageEligibilityRequest/{operation: (?:\\$|%24)challenge}")
    @RateLimited("clinic-challenge")
    @Produces({FhirJson.FHIR_JSON, MediaType.APPLICATION_JSON})
    @Operation(summary = "A single-use nonce for the card to sign (as POST /api/eligibility/challenges), as Parameters", hidden = true)
    public Response challenge(@HeaderParam(Facility.HEADER) String institutionCode) {
        requireFacility();
        Challenges.Issued issued = eligibility.challenge(Facility.of(jwt, institutionCode));
        Parameters out = new Parameters();
        out.addParameter().setName("challengeId").setValue(new StringType(issued.challengeId()));
        out.addParameter().setName("nonce").setValue(new StringType(issued.nonce()));
        out.addParameter().setName("expiresAt").setValue(new InstantType(Date.from(issued.expiresAt().toInstant())));
        return Response.ok(fhir.encode(out), FhirJson.ANSWER_TYPE).build();
    }

    @POST
    @Path("CoverageEligibilityRequest/{operation: (?:\\$|%24)check}")
    @Consumes(MediaType.WILDCARD)
    @Produces({FhirJson.FHIR_JSON, MediaType.APPLICATION_JSON})
    @Operation(summary = "Check eligibility: a CoverageEligibilityRequest (fallbacks), or Parameters with it and the card's signed challenge", hidden = true)
    public Response check(@HeaderParam(Facility.HEADER) String institutionCode, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                          String body) {
        requireFacility();
        // Checked here, not by @Consumes: an unmatched media type would fall to the catch-all below as a 404.
        MediaType type = mediaType(contentType);
        if (type == null || !(type.isCompatible(FhirJson.FHIR_JSON_TYPE) || type.isCompatible(MediaType.APPLICATION_JSON_TYPE))) {
            throw new Problem(415, "unsupported-media-type", "Send application/fhir+json.");
        }
        Facility facility = Facility.of(jwt, institutionCode);
        IBaseResource parsed = fhir.parseAny(body);
        if (!(parsed instanceof Resource resource)) {
            throw Problem.badRequest("unsupported-resource", "$check takes a CoverageEligibilityRequest or Parameters.");
        }
        EligibilityFhir.Check check = EligibilityFhir.read(resource);
        CheckAnswer answer;
        if (check.card() != null) {
            answer = admission.admit(() -> eligibility.cardCheck(facility, check.card()));
        } else if (check.certificate() != null) {
            answer = eligibility.certificateCheck(facility, check.certificate());
        } else {
            answer = eligibility.numberCheck(facility, check.number());
        }
        if (EligibilityFhir.hasCoverage(answer)) {
            return Response.ok(fhir.encode(EligibilityFhir.response(check.request(), answer)), FhirJson.ANSWER_TYPE).build();
        }
        return Response.status(422).type(FhirJson.ANSWER_TYPE).entity(fhir.encode(EligibilityFhir.refusal(answer))).build();
    }

    /** A POST to the type would be a create (FHIR REST): not offered, and said so as an OperationOutcome. */
    @POST
    @Path("CoverageEligibilityRequest")
    @PermitAll
    @Operation(hidden = true)
    public Response create() {
        throw new Problem(405, "method-not-allowed", "A POST to the type would create a resource; this endpoint offers the operation "
                + "POST /fhir/CoverageEligibilityRequest/$check.");
    }

    /** Anything else under /fhir is a 404 OperationOutcome (matched here, so the response filter renders it). */
    @GET
    @Path("{path: .*}")
    @PermitAll
    @Operation(hidden = true)
    public Response unknownGet() {
        throw unknown();
    }

    @POST
    @Path("{path: .*}")
    @PermitAll
    @Operation(hidden = true)
    public Response unknownPost() {
        throw unknown();
    }

    private static Problem unknown() {
        return Problem.notFound("not-found", "This FHIR endpoint offers GET /fhir/metadata, GET /fhir/OperationDefinition/{id} and "
                + "POST /fhir/CoverageEligibilityRequest/$check and /$challenge.");
    }

    /**
     * The facility role, checked here rather than by {@code @RolesAllowed}: a refusal thrown in the method reaches the
     * response filter that renders it as an OperationOutcome, where the security interceptor's 403 did not. Same
     * codes and statuses as the platform's 401 and 403.
     */
    private void requireFacility() {
        if (identity.isAnonymous()) {
            throw new Problem(401, "unauthorized", "A valid bearer token is required.");
        }
        if (!identity.hasRole(Roles.FACILITY)) {
            throw new Problem(403, "forbidden", "This client's role may not use this endpoint.");
        }
    }

    private static MediaType mediaType(String header) {
        try {
            return header == null ? null : MediaType.valueOf(header);
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    private Response ok(IBaseResource resource) {
        return Response.ok(fhir.encode(resource), FhirJson.ANSWER_TYPE).build();
    }
}
