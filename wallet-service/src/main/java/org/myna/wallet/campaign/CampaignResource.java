package org.myna.wallet.campaign;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.idempotency.Idempotency;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.campaign.CampaignRequests.CampaignReport;
import org.myna.wallet.campaign.CampaignRequests.CampaignResponse;
import org.myna.wallet.campaign.CampaignRequests.CreateCampaign;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

@Path("/api/campaigns")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.AUDITOR)
public class CampaignResource {

    private final CampaignService campaigns;
    private final Idempotency idempotency;
    private final JsonWebToken jwt;

    public CampaignResource(CampaignService campaigns, Idempotency idempotency, JsonWebToken jwt) {
        this.campaigns = campaigns;
        this.idempotency = idempotency;
        this.jwt = jwt;
    }

    @Extension(name = "x-refusals", value = "400 invalid-budget, 400 invalid-campaign, 400 invalid-name, 400 invalid-period, 400 invalid-rule, 400 missing-body, 409 campaign-exists")
    @APIResponse(responseCode = "201", description = "The campaign. A replay of this Idempotency-Key answers the first answer again", content = @Content(mediaType = "application/json", schema = @Schema(implementation = CampaignRequests.CampaignResponse.class)))
    @POST
    public Response create(@HeaderParam("Idempotency-Key") String key, CreateCampaign body) {
        CreateCampaign valid = campaigns.validate(body);
        return idempotency.execute(jwt.getSubject(), key, "POST /api/campaigns", valid, 201,
                ticket -> campaigns.create(jwt.getSubject(), valid, ticket));
    }

    @Extension(name = "x-refusals", value = "404 unknown-campaign")
    @GET
    @Path("/{id}")
    public CampaignResponse get(@PathParam("id") String id) {
        return campaigns.describe(campaigns.idOrDefault(id));
    }

    @Extension(name = "x-refusals", value = "404 unknown-campaign")
    @GET
    @Path("/{id}/report")
    public CampaignReport report(@PathParam("id") String id) {
        return campaigns.report(campaigns.idOrDefault(id));
    }
}
