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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.registry.accesslog.AccessLogFilter;
import org.myna.registry.accesslog.AccessLogQuery;
import org.myna.registry.accesslog.AccessLogViews;
import org.myna.registry.auth.OperationTokens;
import org.myna.registry.auth.ResidentSubjects;
import org.myna.registry.auth.Roles;
import org.myna.registry.card.CardService;

import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

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

    /**
     * Who touched my data, newest first, in pages of {@code limit} (default 100, at most 500): the body is the page's
     * rows; a {@code Link: <…>; rel="next"} header names the next page by an opaque cursor. Filters: organisation
     * (client id), purpose (exact or its part before ':'), from/to (ISO-8601 with offset; from inclusive, to exclusive).
     */
    @APIResponse(responseCode = "200", description = "One page of rows, newest first; a Link header (rel=next) names the next page",
            content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.ARRAY, implementation = Object.class)))
    @GET
    @Path("access-log")
    @RolesAllowed(Roles.RESIDENT)
    public Response accessLog(@QueryParam("organisation") String organisation, @QueryParam("purpose") String purpose,
                              @QueryParam("from") String from, @QueryParam("to") String to,
                              @QueryParam("cursor") String cursor, @QueryParam("limit") String limit, @Context UriInfo uri) {
        AccessLogFilter filter = AccessLogFilter.parse(organisation, purpose, from, to, limit);
        AccessLogQuery.Page page = me.accessLog(subjects.residentId(jwt), filter, cursor);
        return AccessLogViews.page(page.rows().stream().map(AccessLogViews::row).toList(), page.next(), uri);
    }

    @Extension(name = "x-refusals", value = "404 no-active-card")
    @POST
    @Path("card/suspension")
    @RolesAllowed(Roles.RESIDENT)
    public Map<String, Object> suspend() {
        cards.setSuspended(subjects.residentId(jwt), true);
        return Map.of("suspended", true);
    }

    @Extension(name = "x-refusals", value = "404 no-public-fund-account")
    @GET
    @Path("public-fund-account")
    @RolesAllowed(Roles.RESIDENT)
    public MeService.AccountView account() {
        return me.account(subjects.residentId(jwt));
    }

    @Extension(name = "x-refusals", value = "409 resident-deceased, 409 account-registered-to-another, 422 holder-kana-mismatch")
    @PUT
    @Path("public-fund-account")
    @RolesAllowed(OperationTokens.GROUP)
    @Consumes(MediaType.APPLICATION_JSON)
    public MeService.AccountView registerAccount(@NotNull @Valid PublicFundAccountRequest request) {
        return me.registerAccount(jwt, request);
    }
}
