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

import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

@Path("/api/cards")
@RolesAllowed(Roles.CLERK)
public class CardResource {

    private final CardService cards;

    public CardResource(CardService cards) {
        this.cards = cards;
    }

    public record ActivationRequest(String signature) {
    }

    public record RevocationRequest(String reason) {
    }

    @Extension(name = "x-refusals", value = "404 card-not-found, 409 card-already-active, 409 card-expired, 409 card-revoked, 409 resident-deceased, 422 signature-invalid")
    @POST
    @Path("{cardId}/activation")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> activate(@PathParam("cardId") String cardId, @NotNull ActivationRequest request) {
        cards.activate(checked(cardId), request.signature());
        return Map.of("cardId", cardId, "status", Card.ACTIVE);
    }

    @Extension(name = "x-refusals", value = "400 invalid-reason, 404 card-not-found, 409 card-already-revoked")
    @POST
    @Path("{cardId}/revocation")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> revoke(@PathParam("cardId") String cardId, @NotNull RevocationRequest request) {
        cards.revokeByClerk(checked(cardId), request.reason());
        return Map.of("cardId", cardId, "status", Card.REVOKED);
    }

    /** Lifts the holder's suspension; the clerk has checked the holder's identity at the counter. */
    @Extension(name = "x-refusals", value = "404 card-not-found, 404 no-active-card, 409 card-revoked")
    @POST
    @Path("{cardId}/resumption")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> resume(@PathParam("cardId") String cardId) {
        cards.resumeByClerk(checked(cardId));
        return Map.of("cardId", cardId, "suspended", false);
    }

    private static String checked(String cardId) {
        if (!CsrCheck.CARD_ID.matcher(cardId).matches()) {
            throw Problem.notFound("card-not-found", "No card with this id.");
        }
        return cardId;
    }
}
