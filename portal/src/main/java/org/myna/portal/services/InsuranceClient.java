package org.myna.portal.services;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.Map;

/** The insurance service's eligibility checks, on behalf of a logged-in facility. */
@ApplicationScoped
public class InsuranceClient {

    public record Challenge(String challengeId, String nonce) {
    }

    private final InsuranceApi api;

    public InsuranceClient(@RestClient InsuranceApi api) {
        this.api = api;
    }

    public Challenge challenge(String token, String institution) {
        JsonNode c = Calls.call("insurance", () -> api.challenge(bearer(token), institution));
        return new Challenge(c.path("challengeId").asText(), c.path("nonce").asText());
    }

    public JsonNode cardCheck(String token, String institution, String challengeId, String certificate, String signature) {
        return Calls.call("insurance", () -> api.cardCheck(bearer(token), institution,
                Map.of("challengeId", challengeId, "certificate", certificate, "signature", signature)));
    }

    public JsonNode certificateCheck(String token, String institution, String certificateNumber) {
        return Calls.call("insurance", () -> api.certificateCheck(bearer(token), institution,
                Map.of("certificateNumber", certificateNumber)));
    }

    public JsonNode numberCheck(String token, String institution, Map<String, String> body) {
        return Calls.call("insurance", () -> api.numberCheck(bearer(token), institution, body));
    }

    /** The resident's own coverage, as a clinic's check would show it (token from the registry's exchange). */
    public JsonNode myCoverage(String residentToken) {
        return Calls.call("insurance", () -> api.myCoverage(bearer(residentToken)));
    }

    /** The clinics' checks that named the resident, newest first. */
    public JsonNode myChecks(String residentToken) {
        return Calls.call("insurance", () -> api.myChecks(bearer(residentToken)));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }
}
