package org.myna.insurance.insurer;

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

@Path("/api/insurers")
public class InsurerResource {

    private final InsurerService insurers;
    private final JsonWebToken jwt;

    public InsurerResource(InsurerService insurers, JsonWebToken jwt) {
        this.insurers = insurers;
        this.jwt = jwt;
    }

    /** The creating client becomes the insurer's owner: the only client that may enrol or read its members. */
    @POST
    @RolesAllowed(Roles.INSURER)
    public Response create(@NotNull @Valid CreateInsurerRequest request) {
        return Response.status(201).entity(InsurerResponse.of(insurers.create(request, jwt.getSubject()))).build();
    }

    @GET
    @Path("{number}")
    @RolesAllowed({Roles.INSURER, Roles.FACILITY, Roles.AUDITOR, Roles.SERVICE})
    public InsurerResponse read(@PathParam("number") String number) {
        InsurerService.insurerNumber(number);
        return InsurerResponse.of(insurers.require(number));
    }
}
