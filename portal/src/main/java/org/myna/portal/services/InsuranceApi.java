package org.myna.portal.services;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.Map;

/** The insurance service's clinic endpoints, called with the facility's own token. */
@RegisterRestClient(configKey = "insurance")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface InsuranceApi {

    @POST
    @Path("/api/eligibility/challenges")
    JsonNode challenge(@HeaderParam("Authorization") String bearer, @HeaderParam("X-Institution-Code") String institution);

    @POST
    @Path("/api/eligibility/card-checks")
    JsonNode cardCheck(@HeaderParam("Authorization") String bearer, @HeaderParam("X-Institution-Code") String institution,
                       Map<String, String> body);

    @POST
    @Path("/api/eligibility/certificate-checks")
    JsonNode certificateCheck(@HeaderParam("Authorization") String bearer,
                              @HeaderParam("X-Institution-Code") String institution, Map<String, String> body);

    @jakarta.ws.rs.GET
    @Path("/api/me/coverage")
    JsonNode myCoverage(@HeaderParam("Authorization") String bearer);

    @jakarta.ws.rs.GET
    @Path("/api/me/eligibility-checks")
    JsonNode myChecks(@HeaderParam("Authorization") String bearer);

    @POST
    @Path("/api/eligibility/number-checks")
    JsonNode numberCheck(@HeaderParam("Authorization") String bearer,
                         @HeaderParam("X-Institution-Code") String institution, Map<String, String> body);
}
