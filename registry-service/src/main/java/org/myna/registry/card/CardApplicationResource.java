package org.myna.registry.card;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.Roles;
import org.myna.registry.resident.IndividualNumber;

import java.util.Map;

/** A clerk opens a card application for a resident; the card must quote its id in its certificate requests. */
@Path("/api/residents/{number}/card-applications")
@RolesAllowed(Roles.CLERK)
public class CardApplicationResource {

    private final CardService cards;

    public CardApplicationResource(CardService cards) {
        this.cards = cards;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response open(@PathParam("number") String number) {
        IndividualNumber.defectOf(number).ifPresent(defect -> {
            throw Problem.invalidField("number", "invalid-number",
                    "The individual number is malformed: " + defect.code() + ".");
        });
        String id = cards.openApplication(IndividualNumber.parse(number));
        return Response.status(201).entity(Map.of("applicationId", id)).build();
    }
}
