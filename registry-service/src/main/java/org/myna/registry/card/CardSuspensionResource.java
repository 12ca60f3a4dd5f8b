package org.myna.registry.card;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.registry.auth.Roles;

import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/** A lost card suspended without it: at the counter (clerk) or on the phone (call centre). */
@Path("/api/card-suspensions")
@RolesAllowed({Roles.CLERK, Roles.CALL_CENTRE})
public class CardSuspensionResource {

    private final CardSuspensionService suspensions;
    private final JsonWebToken jwt;

    public CardSuspensionResource(CardSuspensionService suspensions, JsonWebToken jwt) {
        this.suspensions = suspensions;
        this.jwt = jwt;
    }

    /**
     * Idempotent by nature: a retry finds the card suspended and answers the same (alreadySuspended tells it). A
     * client acting as clerk is trusted with the number alone; any other (the call centre) must match every attribute.
     */
    @Extension(name = "x-refusals", value = "400 attributes-required, 400 invalid-number, 404 resident-not-found, 409 no-active-card, 422 identity-not-confirmed")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> suspend(@NotNull @Valid CardSuspensionRequest request) {
        boolean clerk = jwt.getGroups() != null && jwt.getGroups().contains(Roles.CLERK);
        boolean changed = suspensions.suspend(request, !clerk);
        return Map.of("suspended", true, "alreadySuspended", !changed);
    }
}
