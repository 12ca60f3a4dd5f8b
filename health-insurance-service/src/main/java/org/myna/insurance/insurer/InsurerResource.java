package org.myna.insurance.insurer;

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
import org.myna.platform.idempotency.Idempotency;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

@Path("/api/insurers")
public class InsurerResource {

    private final InsurerService insurers;
    private final Idempotency idempotency;
    private final JsonWebToken jwt;

    public InsurerResource(InsurerService insurers, Idempotency idempotency, JsonWebToken jwt) {
        this.insurers = insurers;
        this.idempotency = idempotency;
        this.jwt = jwt;
    }

    /**
     * The creating client becomes the insurer's owner: the only client that may enrol or read its members. With an
     * Idempotency-Key a retry gets the first answer (201 and the insurer) instead of 409 insurer-exists.
     */
    @Extension(name = "x-refusals", value = "400 invalid-corporate-number, 400 invalid-insurer-number, 409 insurer-exists")
    @APIResponse(responseCode = "201", description = "The insurer. A replay of this Idempotency-Key answers the first answer again.", content = @Content(mediaType = "application/json", schema = @Schema(implementation = InsurerResponse.class)))
    @POST
    @RolesAllowed(Roles.INSURER)
    public Response create(@HeaderParam("Idempotency-Key") String key, @NotNull @Valid CreateInsurerRequest request) {
        String client = jwt.getSubject();
        if (key == null) {
            return Response.status(201).entity(InsurerResponse.of(insurers.create(request, client))).build();
        }
        // No other service is asked: reservation, insurer and answer are one transaction.
        return idempotency.executeAtomically(client, key, "POST /api/insurers", request, 201, ticket -> {
            InsurerResponse created = InsurerResponse.of(insurers.create(request, client));
            ticket.complete(created);
            return created;
        });
    }

    @Extension(name = "x-refusals", value = "403 not-your-insurer, 404 insurer-not-found")
    @GET
    @Path("{number}")
    @RolesAllowed({Roles.INSURER, Roles.FACILITY, Roles.AUDITOR, Roles.SERVICE})
    public InsurerResponse read(@PathParam("number") String number) {
        InsurerService.insurerNumber(number);
        return InsurerResponse.of(insurers.require(number));
    }
}
