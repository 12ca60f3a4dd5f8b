package org.myna.portal.services;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The wallet's resident endpoints the portal reads, with the resident's wallet token. */
@RegisterRestClient(configKey = "wallet")
@Produces(MediaType.APPLICATION_JSON)
interface WalletApi {

    @GET
    @Path("/api/me/balance")
    JsonNode balance(@HeaderParam("Authorization") String bearer);
}
