package org.myna.insurance.fhir;

import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementKind;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.OperationDefinition.OperationKind;
import org.hl7.fhir.r4.model.OperationDefinition.OperationParameterUse;

import java.util.Optional;

/**
 * What the façade declares: its CapabilityStatement ({@code GET /fhir/metadata}) and the two operations on
 * CoverageEligibilityRequest, {@code $challenge} (a nonce for the card to sign) and {@code $check} (the check itself).
 */
final class FhirConformance {

    static final String BASE = "https://myna.example/fhir";
    static final String CHECK = "coverage-eligibility-check";
    static final String CHALLENGE = "coverage-eligibility-challenge";
    /** The day these declarations last changed (CapabilityStatement.date is required). */
    private static final String DATE = "2026-12-07";

    private FhirConformance() {
    }

    static CapabilityStatement capabilities(String version) {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setUrl(BASE + "/CapabilityStatement/health-insurance-service");
        cs.setName("MyNumberSuiteInsurance");
        cs.setTitle("My Number Suite - insurance: eligibility (オンライン資格確認) in FHIR R4");
        cs.setStatus(PublicationStatus.ACTIVE);
        cs.setDateElement(new org.hl7.fhir.r4.model.DateTimeType(DATE));
        cs.setPublisher("My Number Suite");
        cs.setDescription("Eligibility of a patient at a medical facility, by the My Number card (challenge signed by the card) "
                + "or by a fallback (eligibility certificate, or insurer number with symbol:number:branch and birth date). "
                + "Bearer token of a facility client required; the institution code comes from the token or X-Institution-Code.");
        cs.setKind(CapabilityStatementKind.INSTANCE);
        cs.getSoftware().setName("health-insurance-service").setVersion(version);
        cs.getImplementation().setDescription("My Number Suite health-insurance-service FHIR façade");
        cs.setFhirVersion(FHIRVersion._4_0_1);
        cs.addFormat("application/fhir+json");
        cs.addFormat("json");
        CapabilityStatement.CapabilityStatementRestComponent rest = cs.addRest().setMode(RestfulCapabilityMode.SERVER)
                .setDocumentation("Only the operations below; no create, read or search of resources.");
        rest.getSecurity().addService(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/restful-security-service", "OAuth", "OAuth")))
                .setDescription("OAuth 2.0 client credentials at the registry (POST /oauth2/token); role facility.");
        CapabilityStatement.CapabilityStatementRestResourceComponent resource = rest.addResource().setType("CoverageEligibilityRequest");
        resource.addOperation().setName("check").setDefinition(BASE + "/OperationDefinition/" + CHECK);
        resource.addOperation().setName("challenge").setDefinition(BASE + "/OperationDefinition/" + CHALLENGE);
        return cs;
    }

    static Optional<OperationDefinition> operation(String id) {
        return switch (id) {
            case CHECK -> Optional.of(check());
            case CHALLENGE -> Optional.of(challenge());
            default -> Optional.empty();
        };
    }

    static OperationDefinition check() {
        OperationDefinition op = base(CHECK, "check", "Check eligibility",
                "Confirms a patient's coverage. Body: a CoverageEligibilityRequest (purpose validation) naming the coverage by "
                        + "identifier (eligibility certificate, or insured person symbol:number:branch with the insurer's number and a "
                        + "contained Patient's birth date), or Parameters with that request plus the card's challengeId, certificate "
                        + "and signature. Answer: a CoverageEligibilityResponse with contained Coverage, insurer Organization and "
                        + "Patient; refusals are OperationOutcomes whose issue details carry the suite's reason code.");
        op.addParameter().setName(EligibilityFhir.P_REQUEST).setUse(OperationParameterUse.IN).setMin(1).setMax("1")
                .setType("CoverageEligibilityRequest").setDocumentation("The request (purpose validation).");
        op.addParameter().setName(EligibilityFhir.P_CHALLENGE).setUse(OperationParameterUse.IN).setMin(0).setMax("1")
                .setType("string").setDocumentation("Card check: the challengeId $challenge returned.");
        op.addParameter().setName(EligibilityFhir.P_CERTIFICATE).setUse(OperationParameterUse.IN).setMin(0).setMax("1")
                .setType("string").setDocumentation("Card check: the card's authentication certificate, PEM.");
        op.addParameter().setName(EligibilityFhir.P_SIGNATURE).setUse(OperationParameterUse.IN).setMin(0).setMax("1")
                .setType("base64Binary").setDocumentation("Card check: the card's signature over the challenge's nonce.");
        op.addParameter().setName("return").setUse(OperationParameterUse.OUT).setMin(1).setMax("1")
                .setType("CoverageEligibilityResponse").setDocumentation("The coverage found, in force or not.");
        return op;
    }

    static OperationDefinition challenge() {
        OperationDefinition op = base(CHALLENGE, "challenge", "Challenge for a card check",
                "A single-use nonce for the card to sign (the same as POST /api/eligibility/challenges): valid for a few minutes, "
                        + "spent by the check that uses it.");
        op.setAffectsState(false);
        op.addParameter().setName("challengeId").setUse(OperationParameterUse.OUT).setMin(1).setMax("1").setType("string");
        op.addParameter().setName("nonce").setUse(OperationParameterUse.OUT).setMin(1).setMax("1").setType("string")
                .setDocumentation("The bytes the card signs with its authentication key (base64url).");
        op.addParameter().setName("expiresAt").setUse(OperationParameterUse.OUT).setMin(1).setMax("1").setType("instant");
        return op;
    }

    private static OperationDefinition base(String id, String code, String title, String description) {
        OperationDefinition op = new OperationDefinition();
        op.setId(id);
        op.setUrl(BASE + "/OperationDefinition/" + id);
        op.setName(title.replaceAll("[^A-Za-z]", ""));
        op.setTitle(title);
        op.setStatus(PublicationStatus.ACTIVE);
        op.setKind(OperationKind.OPERATION);
        op.setDescription(description);
        op.setCode(code);
        op.addResource("CoverageEligibilityRequest");
        op.setSystem(false).setType(true).setInstance(false);
        op.setAffectsState(true);
        return op;
    }

}
