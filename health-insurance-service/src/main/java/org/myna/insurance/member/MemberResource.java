package org.myna.insurance.member;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.insurance.auth.Roles;
import org.myna.insurance.insurer.InsurerService;
import org.myna.platform.idempotency.Idempotency;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

@Path("/api/insurers/{insurerNumber}/members")
@RolesAllowed(Roles.INSURER)
public class MemberResource {

    private final MemberService members;
    private final MemberBatchService batches;
    private final Idempotency idempotency;
    private final JsonWebToken jwt;

    public MemberResource(MemberService members, MemberBatchService batches, Idempotency idempotency, JsonWebToken jwt) {
        this.members = members;
        this.batches = batches;
        this.idempotency = idempotency;
        this.jwt = jwt;
    }

    /**
     * With an Idempotency-Key, a retry (same key, same body) gets the first answer byte for byte and never enrols a
     * second member; the same key with another body is a 409 idempotency-key-reused.
     */
    @Extension(name = "x-refusals", value = "400 address-required, 400 coverage-end-before-start, 400 invalid-copay-rate, 400 invalid-number, 403 not-your-insurer, 404 insurer-not-found, 409 member-exists, 422 registry-rejected, 503 registry-unavailable")
    @APIResponse(responseCode = "201", description = "The member and the outcome of the link to the registry. A replay of this Idempotency-Key answers the first answer again.", content = @Content(mediaType = "application/json", schema = @Schema(implementation = MemberResponse.class)))
    @POST
    public Response enrol(@HeaderParam("Idempotency-Key") String key, @PathParam("insurerNumber") String insurerNumber,
                          @NotNull @Valid EnrolMemberRequest request) {
        InsurerService.insurerNumber(insurerNumber);
        String client = jwt.getSubject();
        if (key == null) {
            return Response.status(201).entity(MemberResponse.of(members.enrol(insurerNumber, request, client))).build();
        }
        // The registry is asked between the reservation and the member's transaction: the two-step path.
        return idempotency.execute(client, key, "POST /api/insurers/" + insurerNumber + "/members", request, 201,
                ticket -> MemberResponse.of(members.enrol(insurerNumber, request, client, ticket)));
    }

    /**
     * Bulk enrolment: up to 500 members, one result each in order; a bad member is reported and stops nothing. No
     * Idempotency-Key needed: a resent batch answers each member enrolled the first time as {@code exists}, with its id.
     */
    @Extension(name = "x-refusals", value = "400 invalid-batch-size, 403 not-your-insurer, 404 insurer-not-found, 503 registry-unavailable")
    @POST
    @Path("batch")
    public MemberBatchService.BatchResult enrolAll(@PathParam("insurerNumber") String insurerNumber,
                                                   @NotNull MemberBatchRequest request) {
        InsurerService.insurerNumber(insurerNumber);
        return batches.enrolAll(insurerNumber, request.members(), jwt.getSubject());
    }

    @Extension(name = "x-refusals", value = "403 not-your-insurer, 404 insurer-not-found, 404 member-not-found")
    @GET
    @Path("{id}")
    public MemberResponse read(@PathParam("insurerNumber") String insurerNumber, @PathParam("id") long id) {
        InsurerService.insurerNumber(insurerNumber);
        return members.readOwn(insurerNumber, id, jwt.getSubject());
    }

    /** With an Idempotency-Key, a retry gets the first answer and the registry is not asked (nor logged) twice. */
    @Extension(name = "x-refusals", value = "400 address-required, 400 invalid-number, 403 not-your-insurer, 404 insurer-not-found, 404 member-not-found, 409 already-linked, 409 concurrent-update, 422 registry-rejected, 503 registry-unavailable")
    @APIResponse(responseCode = "200", description = "The member and the outcome of the link to the registry. A replay of this Idempotency-Key answers the first answer again.", content = @Content(mediaType = "application/json", schema = @Schema(implementation = MemberResponse.class)))
    @POST
    @Path("{id}/link")
    public Response link(@HeaderParam("Idempotency-Key") String key, @PathParam("insurerNumber") String insurerNumber,
                         @PathParam("id") long id, @NotNull @Valid LinkMemberRequest request) {
        InsurerService.insurerNumber(insurerNumber);
        String client = jwt.getSubject();
        if (key == null) {
            return Response.ok(MemberResponse.of(members.link(insurerNumber, id, request, client))).build();
        }
        return idempotency.execute(client, key, "POST /api/insurers/" + insurerNumber + "/members/" + id + "/link", request, 200,
                ticket -> MemberResponse.of(members.link(insurerNumber, id, request, client, ticket)));
    }
}
