package org.myna.insurance.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.myna.platform.accesslog.AccessRecord;

import java.util.List;

/**
 * The registry's API as this service uses it: one record per request and answer body, named and typed as in the
 * registry's OpenAPI document. suite-tests' ContractTest checks every record against the document the build just
 * produced (a field the registry does not know, a required field missing here, a type that differs: the build fails).
 * Answers are tolerant readers: a field the registry adds later must not break this service.
 */
public final class RegistryContract {

    private RegistryContract() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TokenAnswer(@JsonProperty("access_token") String accessToken, @JsonProperty("expires_in") Long expiresIn) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CaAnswer(String certificate) {
    }

    public record StandingQuery(String linkCode, String cardRef) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StandingAnswer(String standing) {
    }

    public record HolderLinkQuery(String certificate) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HolderLinkAnswer(String status, String linkCode) {
    }

    public record Address(String postalCode, String prefecture, String municipality, String line) {
    }

    /** POST /api/insurance-links: the number and all five attributes. */
    public record Link(String number, String familyName, String givenName, String familyNameKana, String givenNameKana,
                       String dateOfBirth, String sex, Address address) {
        @Override
        public String toString() {
            return "Link[number=************]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Linked(String linkCode) {
    }

    /** The registry's 422 problem of a link: its code and the attributes that differ. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LinkProblem(String code, List<String> mismatched) {
    }

    public record LinkBatch(List<Link> links) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LinkBatchAnswer(List<LinkOutcome> results) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LinkOutcome(String outcome, String linkCode, List<String> mismatched) {
    }

    public record LinkVerification(String linkCode, String familyName, String givenName, String familyNameKana,
                                   String givenNameKana, String dateOfBirth, String sex) {
    }

    public record Verifications(List<LinkVerification> links) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VerificationsAnswer(List<VerificationResult> results) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VerificationResult(String status, List<String> mismatched) {
    }

    /** POST /api/access-log/entries: this service's reads of residents' data, for their logs at the registry. */
    public record AccessLogBatch(List<AccessRecord> entries) {
    }
}
