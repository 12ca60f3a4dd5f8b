package org.myna.registry.card;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.Roles;

@Path("/api/card-applications")
@RolesAllowed(Roles.CLERK)
public class IssuanceResource {

    private final CardService cards;

    public IssuanceResource(CardService cards) {
        this.cards = cards;
    }

    public record IssuanceRequest(String authCsr, String signCsr) {
    }

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
