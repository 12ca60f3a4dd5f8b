package org.myna.registry.seal;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.Roles;

/** De-registration at the resident's request (or on a lost registration card), by a clerk. */
@Path("/api/seals")
@RolesAllowed(Roles.CLERK)
public class SealResource {

    public record DeregistrationRequest(String reason) {
    }

    private final SealService seals;

    public SealResource(SealService seals) {
        this.seals = seals;
    }

    @POST
    @Path("{sealId}/deregistration")
    public SealService.Deregistered deregister(@PathParam("sealId") String sealId, @NotNull DeregistrationRequest request) {
        return seals.deregister(sealId(sealId), request.reason());
    }

    private static long sealId(String value) {
        if (value == null || !value.matches("[0-9]{1,18}")) {
            throw Problem.notFound("seal-not-found", "No such seal.");
        }
        return Long.parseLong(value);
    }
}
