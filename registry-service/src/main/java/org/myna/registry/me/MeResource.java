package org.myna.registry.me;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.registry.auth.OperationTokens;
import org.myna.registry.auth.ResidentSubjects;
import org.myna.registry.auth.Roles;
import org.myna.registry.card.CardService;

import java.util.List;
import java.util.Map;

/** The resident's own page; who they are comes from the token (audience registry) and nothing else. */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private final MeService me;
    private final CardService cards;
    private final ResidentSubjects subjects;
    private final JsonWebToken jwt;

    public MeResource(MeService me, CardService cards, ResidentSubjects subjects, JsonWebToken jwt) {
        this.me = me;
        this.cards = cards;
        this.subjects = subjects;
        this.jwt = jwt;
    }

    @GET
    @RolesAllowed(Roles.RESIDENT)
    public MeService.Me read() {
        return me.me(subjects.residentId(jwt));
    }

    @GET
    @Path("access-log")
    @RolesAllowed(Roles.RESIDENT)
    public List<Map<String, Object>> accessLog() {
        return me.accessLog(subjects.residentId(jwt));
    }

    @POST
    @Path("card/suspension")
    @RolesAllowed(Roles.RESIDENT)
    public Map<String, Object> suspend() {
        cards.setSuspended(subjects.residentId(jwt), true);
        return Map.of("suspended", true);
    }

    @GET
    @Path("public-fund-account")
    @RolesAllowed(Roles.RESIDENT)
    public MeService.AccountView account() {
        return me.account(subjects.residentId(jwt));
    }

    @PUT
    @Path("public-fund-account")
    @RolesAllowed(OperationTokens.GROUP)
    @Consumes(MediaType.APPLICATION_JSON)
    public MeService.AccountView registerAccount(@NotNull @Valid PublicFundAccountRequest request) {
        return me.registerAccount(jwt, request);
    }
}
