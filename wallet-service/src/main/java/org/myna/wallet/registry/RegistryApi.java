package org.myna.wallet.registry;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The registry endpoints the wallet calls; only the fields we read. */
@RegisterRestClient(configKey = "registry")
interface RegistryApi {

    // Tolerant reader: a field the other service adds later must not break this one.
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record TokenResponse(String access_token, String token_type, Long expires_in) {
    }

    record EligibilityQuestion(String linkCode, String question) {
    }

    // Tolerant reader: a field the other service adds later must not break this one.
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record EligibilityAnswer(Boolean answer) {
    }

    record HolderNameQuestion(String linkCode, String holderKana) {
    }

    // Tolerant reader: a field the other service adds later must not break this one.
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record HolderNameAnswer(Boolean matches) {
    }

    record AccessLogBatch(java.util.List<org.myna.platform.accesslog.AccessRecord> entries) {
    }

    @POST
    @Path("/oauth2/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    TokenResponse token(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
                        @FormParam("client_secret") String clientSecret);

    @POST
    @Path("/api/exchange/eligibility")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    EligibilityAnswer eligibility(@HeaderParam("Authorization") String authorization, EligibilityQuestion question);

    record StandingQuery(String linkCode, String cardRef) {
    }

    // Tolerant reader: a field the other service adds later must not break this one.
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record Standing(String standing) {
    }

    @POST
    @Path("/api/card-standings/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Standing cardStanding(@HeaderParam("Authorization") String authorization, StandingQuery query);

    @POST
    @Path("/api/exchange/holder-name")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    HolderNameAnswer holderName(@HeaderParam("Authorization") String authorization, HolderNameQuestion question);

    @POST
    @Path("/api/access-log/entries")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    void accessLog(@HeaderParam("Authorization") String authorization, AccessLogBatch batch);
}
