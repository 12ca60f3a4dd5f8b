package org.myna.registry.card;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.Roles;
import org.myna.registry.resident.IndividualNumber;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/** A clerk opens a card application for a resident; the card quotes its id in its certificate requests. */
@Path("/api/card-applications")
@RolesAllowed(Roles.CLERK)
public class IssuanceResource {

    private final CardService cards;

    public IssuanceResource(CardService cards) {
        this.cards = cards;
    }

    public record IssuanceRequest(String authCsr, String signCsr) {
    }

    /** The number travels in the body, never in a URL. */
    public record OpenRequest(String number) {
    }

    public record Opened(String applicationId) {
    }

    @Extension(name = "x-refusals", value = "400 invalid-number, 404 resident-not-found, 409 resident-deceased")
    @APIResponse(responseCode = "201", description = "The card application is open", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Opened.class)))
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response open(@NotNull OpenRequest request) {
        String id = cards.openApplication(IndividualNumber.fromRequest(request.number()));
        return Response.status(201).entity(new Opened(id)).build();
    }

    @Extension(name = "x-refusals", value = "400 csr-missing, 404 application-not-found, 409 application-used, 409 card-id-taken, 409 key-already-certified, 409 resident-deceased, 422 csr-application-mismatch, 422 csr-card-mismatch, 422 csr-same-key")
    @POST
    @Path("{applicationId}/issuance")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CardService.Issuance issue(@PathParam("applicationId") String applicationId, @NotNull IssuanceRequest request) {
        if (applicationId.length() > 64) {
            throw Problem.notFound("application-not-found", "No card application with this id.");
        }
        return cards.issue(applicationId, request.authCsr(), request.signCsr());
    }
}
