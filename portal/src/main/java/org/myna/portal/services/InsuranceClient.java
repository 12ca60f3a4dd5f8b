package org.myna.portal.services;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.List;

/** The insurance service's eligibility checks, on behalf of a logged-in facility, and a resident's own view. */
@ApplicationScoped
public class InsuranceClient {

    public record Challenge(String challengeId, String nonce) {
    }

    private final InsuranceApi api;

    public InsuranceClient(@RestClient InsuranceApi api) {
        this.api = api;
    }

    public Challenge challenge(String token, String institution) {
        InsuranceApi.Issued c = Calls.call("insurance", () -> api.challenge(bearer(token), institution));
        return new Challenge(c.challengeId(), c.nonce());
    }

    public InsuranceApi.CheckAnswer cardCheck(String token, String institution, String challengeId, String certificate,
                                              String signature) {
        return Calls.call("insurance", () -> api.cardCheck(bearer(token), institution,
                new InsuranceApi.CardCheck(challengeId, certificate, signature)));
    }

    public InsuranceApi.CheckAnswer certificateCheck(String token, String institution, String certificateNumber) {
        return Calls.call("insurance", () -> api.certificateCheck(bearer(token), institution,
                new InsuranceApi.CertificateCheck(certificateNumber)));
    }

    public InsuranceApi.CheckAnswer numberCheck(String token, String institution, InsuranceApi.NumberCheck body) {
        return Calls.call("insurance", () -> api.numberCheck(bearer(token), institution, body));
    }

    /** The resident's own coverage, as a clinic's check would show it (token from the registry's exchange). */
    public List<InsuranceApi.Coverage> myCoverage(String residentToken) {
        return Calls.call("insurance", () -> api.myCoverage(bearer(residentToken)));
    }

    /** The clinics' checks that named the resident, newest first. */
    public List<InsuranceApi.CheckView> myChecks(String residentToken) {
        return Calls.call("insurance", () -> api.myChecks(bearer(residentToken)));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }
}
