package org.myna.portal.services;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The registry's endpoints the portal calls, and what it sends and reads of them as typed records (a tolerant reader;
 * empty request fields are left out). suite-tests' ContractTest holds every record to the registry's OpenAPI document.
 * The access log's rows stay untyped: the registry documents them as any object.
 */
@RegisterRestClient(configKey = "registry")
@Produces(MediaType.APPLICATION_JSON)
public interface RegistryApi {

    /** RFC 6749 §5.1 (and RFC 8693's answer, the same shape). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TokenAnswer(@JsonProperty("access_token") String accessToken, @JsonProperty("expires_in") Long expiresIn) {
    }

    /** RFC 8628 §3.2. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record DeviceAnswer(@JsonProperty("device_code") String deviceCode, @JsonProperty("user_code") String userCode,
                        @JsonProperty("verification_uri") String verificationUri,
                        @JsonProperty("verification_uri_complete") String verificationUriComplete,
                        @JsonProperty("expires_in") Long expiresIn, @JsonProperty("interval") Long interval) {
    }

    /** Her record as the record page shows it; the number only to be masked. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Me(String number, String familyName, String givenName, String familyNameKana, String givenNameKana,
              String dateOfBirth, String card, Boolean cardSuspended, String cardExpiresOn) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PublicFundAccount(String bankCode, String branchCode, String accountType, String accountNumber,
                             String holderKana, String registeredAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record AccountRequest(String bankCode, String branchCode, String accountType, String accountNumber, String holderKana) {
    }

    @POST
    @Path("/oauth2/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    TokenAnswer clientCredentials(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
                                  @FormParam("client_secret") String clientSecret);

    @POST
    @Path("/oauth2/device_authorization")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    DeviceAnswer deviceAuthorization(@FormParam("client_id") String clientId, @FormParam("client_secret") String clientSecret);

    @POST
    @Path("/oauth2/device_authorization")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    DeviceAnswer deviceAct(@FormParam("client_id") String clientId, @FormParam("client_secret") String clientSecret,
                           @FormParam("operation") String operation, @FormParam("act") String act,
                           @FormParam("subject_token") String subjectToken);

    @POST
    @Path("/oauth2/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    TokenAnswer deviceToken(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
                            @FormParam("client_secret") String clientSecret, @FormParam("device_code") String deviceCode);

    @POST
    @Path("/oauth2/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    TokenAnswer exchange(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
                         @FormParam("client_secret") String clientSecret, @FormParam("subject_token") String subjectToken,
                         @FormParam("subject_token_type") String subjectTokenType, @FormParam("audience") String audience);

    @GET
    @Path("/api/me")
    Me me(@HeaderParam("Authorization") String bearer);

    @GET
    @Path("/api/me/access-log")
    jakarta.ws.rs.core.Response accessLogPage(@HeaderParam("Authorization") String bearer,
                                              @QueryParam("organisation") String organisation,
                                              @QueryParam("purpose") String purpose, @QueryParam("from") String from,
                                              @QueryParam("to") String to, @QueryParam("cursor") String cursor,
                                              @QueryParam("limit") Integer limit);

    @POST
    @Path("/api/me/card/suspension")
    JsonNode suspendCard(@HeaderParam("Authorization") String bearer);

    @GET
    @Path("/api/me/public-fund-account")
    PublicFundAccount publicFundAccount(@HeaderParam("Authorization") String bearer);

    @jakarta.ws.rs.PUT
    @Path("/api/me/public-fund-account")
    @Consumes(MediaType.APPLICATION_JSON)
    PublicFundAccount registerPublicFundAccount(@HeaderParam("Authorization") String operationBearer, AccountRequest account);
}
