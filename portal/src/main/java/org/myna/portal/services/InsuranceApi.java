package org.myna.portal.services;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/**
 * The insurance service's endpoints the portal calls, and what it sends and reads of them as typed records (a tolerant
 * reader: fields it does not read are ignored). suite-tests' ContractTest holds every record to the service's OpenAPI
 * document, as it does the services' own calls.
 */
@RegisterRestClient(configKey = "insurance")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface InsuranceApi {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Issued(String challengeId, String nonce) {
    }

    record CardCheck(String challengeId, String certificate, String signature) {
    }

    record CertificateCheck(String certificateNumber) {
    }

    record NumberCheck(String insurerNumber, String symbol, String number, String branch, String dateOfBirth) {
    }

    /** A check's answer: the result code, the coverage when there is one, the fallbacks when the card cannot answer. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CheckAnswer(String result, Coverage coverage, List<String> fallbacks) {
    }

    /** Coverage as a clinic's check shows it (and the resident's own page, the same way). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Coverage(String insurerNumber, String insurerName, String symbol, String number, String branch,
                    Integer copayRate, String validFrom, String validUntil, String familyName, String givenName,
                    String familyNameKana, String givenNameKana, String dateOfBirth, String status) {
    }

    /** A clinic's check that named the resident. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CheckView(String checkedAt, String institutionCode, String method, String result) {
    }

    @POST
    @Path("/api/eligibility/challenges")
    Issued challenge(@HeaderParam("Authorization") String bearer, @HeaderParam("X-Institution-Code") String institution);

    @POST
    @Path("/api/eligibility/card-checks")
    CheckAnswer cardCheck(@HeaderParam("Authorization") String bearer, @HeaderParam("X-Institution-Code") String institution,
                          CardCheck body);

    @POST
    @Path("/api/eligibility/certificate-checks")
    CheckAnswer certificateCheck(@HeaderParam("Authorization") String bearer,
                                 @HeaderParam("X-Institution-Code") String institution, CertificateCheck body);

    @jakarta.ws.rs.GET
    @Path("/api/me/coverage")
    List<Coverage> myCoverage(@HeaderParam("Authorization") String bearer);

    @jakarta.ws.rs.GET
    @Path("/api/me/eligibility-checks")
    List<CheckView> myChecks(@HeaderParam("Authorization") String bearer);

    @POST
    @Path("/api/eligibility/number-checks")
    CheckAnswer numberCheck(@HeaderParam("Authorization") String bearer,
                            @HeaderParam("X-Institution-Code") String institution, NumberCheck body);
}
