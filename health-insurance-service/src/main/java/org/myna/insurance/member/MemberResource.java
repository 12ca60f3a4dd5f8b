package org.myna.insurance.member;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.insurance.auth.Roles;
import org.myna.insurance.insurer.InsurerService;

@Path("/api/insurers/{insurerNumber}/members")
@RolesAllowed(Roles.INSURER)
public class MemberResource {

    private final MemberService members;
    private final MemberBatchService batches;
    private final JsonWebToken jwt;

    public MemberResource(MemberService members, MemberBatchService batches, JsonWebToken jwt) {
        this.members = members;
        this.batches = batches;
        this.jwt = jwt;
    }

    @POST
    public Response enrol(@PathParam("insurerNumber") String insurerNumber, @NotNull @Valid EnrolMemberRequest request) {
        InsurerService.insurerNumber(insurerNumber);
        Member member = members.enrol(insurerNumber, request, jwt.getSubject());
        return Response.status(201).entity(MemberResponse.of(member)).build();
    }

    /** Bulk enrolment: up to 500 members, one result each in order; a bad member is reported and stops nothing. */
    @POST
    @Path("batch")
    public MemberBatchService.BatchResult enrolAll(@PathParam("insurerNumber") String insurerNumber,
                                                   @NotNull MemberBatchRequest request) {
        InsurerService.insurerNumber(insurerNumber);
        return batches.enrolAll(insurerNumber, request.members(), jwt.getSubject());
    }

    @GET
    @Path("{id}")
    public MemberResponse read(@PathParam("insurerNumber") String insurerNumber, @PathParam("id") long id) {
        InsurerService.insurerNumber(insurerNumber);
        return members.readOwn(insurerNumber, id, jwt.getSubject());
    }

    @POST
    @Path("{id}/link")
    public MemberResponse link(@PathParam("insurerNumber") String insurerNumber, @PathParam("id") long id,
                               @NotNull @Valid LinkMemberRequest request) {
        InsurerService.insurerNumber(insurerNumber);
        return MemberResponse.of(members.link(insurerNumber, id, request, jwt.getSubject()));
    }
}
