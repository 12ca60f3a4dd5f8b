package org.myna.insurance.fhir;

import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.CoverageEligibilityRequest;
import org.hl7.fhir.r4.model.CoverageEligibilityRequest.EligibilityRequestPurpose;
import org.hl7.fhir.r4.model.CoverageEligibilityResponse;
import org.hl7.fhir.r4.model.CoverageEligibilityResponse.EligibilityResponsePurpose;
import org.hl7.fhir.r4.model.CoverageEligibilityResponse.EligibilityResponseStatus;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.Enumerations.RemittanceOutcome;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.myna.insurance.eligibility.CheckAnswer;
import org.myna.insurance.eligibility.Requests;
import org.myna.platform.problem.Problem;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The translation between FHIR R4 and the suite's eligibility checks, both ways, with no behaviour of its own: a
 * {@code CoverageEligibilityRequest} (purpose {@code validation}) names one of the three checks the REST API has, and
 * the check's answer becomes a {@code CoverageEligibilityResponse} (a member was found) or an {@code OperationOutcome}
 * whose code is the check's result (nobody to answer for).
 */
final class EligibilityFhir {

    /** The 資格確認書 number (eligibility certificate), as an identifier of the Coverage. */
    static final String CERTIFICATE_SYSTEM = "https://myna.example/fhir/sid/eligibility-certificate";
    /** 記号:番号:枝番 (symbol, number, 2-digit branch) of the insured person, as an identifier of the Coverage. */
    static final String INSURED_PERSON_SYSTEM = "https://myna.example/fhir/sid/insured-person";
    /** The 8-digit 保険者番号 (insurer number), as an identifier of the insurer Organization. */
    static final String INSURER_NUMBER_SYSTEM = "https://myna.example/fhir/sid/insurer-number";
    /** The suite's record of one check (its id), as the response's identifier. */
    static final String CHECK_SYSTEM = "https://myna.example/fhir/sid/eligibility-check";
    static final String EN_REPRESENTATION = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";
    static final String COPAY_TYPE = "http://terminology.hl7.org/CodeSystem/coverage-copay-type";
    static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    /** The input parameters of {@code $check} when the card answers (OperationDefinition coverage-eligibility-check). */
    static final String P_REQUEST = "request";
    static final String P_CHALLENGE = "challengeId";
    static final String P_CERTIFICATE = "certificate";
    static final String P_SIGNATURE = "signature";

    private EligibilityFhir() {
    }

    /** Which REST check the FHIR request names. Exactly one of the three is set. */
    record Check(CoverageEligibilityRequest request, Requests.CardCheck card, Requests.CertificateCheck certificate,
                 Requests.NumberCheck number) {
    }

    /** A card check arrives as Parameters (the request plus the signed challenge); a fallback as the bare request. */
    static Check read(Resource body) {
        if (body instanceof Parameters parameters) {
            return card(parameters);
        }
        if (body instanceof CoverageEligibilityRequest request) {
            return fallback(checked(request));
        }
        throw Problem.badRequest("unsupported-resource", "$check takes a CoverageEligibilityRequest, or Parameters with one for a card check.");
    }

    private static Check card(Parameters parameters) {
        Resource resource = parameters.getParameter().stream().filter(p -> P_REQUEST.equals(p.getName()))
                .map(Parameters.ParametersParameterComponent::getResource).filter(r -> r != null).findFirst().orElse(null);
        if (!(resource instanceof CoverageEligibilityRequest request)) {
            throw invalid("Parameters.parameter.where(name='request')", "request-required",
                    "A card check's Parameters carry the CoverageEligibilityRequest as parameter 'request'.");
        }
        checked(request);
        return new Check(request, new Requests.CardCheck(text(parameters, P_CHALLENGE, 64), text(parameters, P_CERTIFICATE, 8192),
                text(parameters, P_SIGNATURE, 512)), null, null);
    }

    private static String text(Parameters parameters, String name, int max) {
        List<Parameters.ParametersParameterComponent> found = parameters.getParameter().stream()
                .filter(p -> name.equals(p.getName())).toList();
        String where = "Parameters.parameter.where(name='" + name + "')";
        if (found.size() != 1 || !(found.get(0).getValue() instanceof PrimitiveType<?> value) || value.getValueAsString() == null
                || value.getValueAsString().isBlank()) {
            throw invalid(where, "parameter-required", "Parameter '" + name + "' is required once, with a value.");
        }
        if (found.get(0).getValue() instanceof Base64BinaryType b64) {
            // FHIR's base64Binary is standard base64 (HAPI has decoded it); the card check takes base64url.
            byte[] bytes = b64.getValue();
            if (bytes == null || bytes.length == 0 || bytes.length > 384) {
                throw invalid(where, "invalid-signature-encoding", "Parameter '" + name + "' must be base64 of a DER ECDSA signature.");
            }
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        String v = value.getValueAsString();
        if (v.length() > max) {
            throw invalid(where, "parameter-too-long", "Parameter '" + name + "' is longer than " + max + " characters.");
        }
        return v;
    }

    /** purpose = validation only (the suite answers no benefits or discovery) and status active. */
    private static CoverageEligibilityRequest checked(CoverageEligibilityRequest request) {
        if (request.getStatus() != CoverageEligibilityRequest.EligibilityRequestStatus.ACTIVE) {
            throw invalid("CoverageEligibilityRequest.status", "unsupported-status", "Only an active request can be checked.");
        }
        List<Enumeration<EligibilityRequestPurpose>> purposes = request.getPurpose();
        if (purposes.isEmpty() || purposes.stream().anyMatch(p -> p.getValue() != EligibilityRequestPurpose.VALIDATION)) {
            throw invalid("CoverageEligibilityRequest.purpose", "unsupported-purpose",
                    "The purpose must be 'validation': this service confirms coverage, it does not list benefits.");
        }
        return request;
    }

    private static Check fallback(CoverageEligibilityRequest request) {
        Identifier coverage = request.getInsurance().size() == 1 ? request.getInsuranceFirstRep().getCoverage().getIdentifier() : null;
        if (coverage == null || coverage.getSystem() == null || coverage.getValue() == null) {
            throw invalid("CoverageEligibilityRequest.insurance.coverage.identifier", "identifier-required",
                    "Name one coverage by identifier: the eligibility certificate (" + CERTIFICATE_SYSTEM + ") or the insured person ("
                            + INSURED_PERSON_SYSTEM + ", symbol:number:branch), or send Parameters with the card's signature.");
        }
        if (CERTIFICATE_SYSTEM.equals(coverage.getSystem())) {
            String number = coverage.getValue();
            if (number.length() > 40) {
                throw invalid("CoverageEligibilityRequest.insurance.coverage.identifier.value", "invalid-certificate-number",
                        "An eligibility certificate number has at most 40 characters.");
            }
            return new Check(request, null, new Requests.CertificateCheck(number), null);
        }
        if (!INSURED_PERSON_SYSTEM.equals(coverage.getSystem())) {
            throw invalid("CoverageEligibilityRequest.insurance.coverage.identifier.system", "unknown-identifier-system",
                    "The coverage identifier's system is neither " + CERTIFICATE_SYSTEM + " nor " + INSURED_PERSON_SYSTEM + ".");
        }
        String[] parts = coverage.getValue().split(":", -1);
        if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[0].length() > 40 || parts[1].length() > 40
                || !parts[2].matches("[0-9]{2}")) {
            throw invalid("CoverageEligibilityRequest.insurance.coverage.identifier.value", "invalid-insured-person",
                    "The insured person is symbol:number:branch, the branch 2 digits.");
        }
        Identifier insurer = request.getInsurer().getIdentifier();
        if (insurer == null || !INSURER_NUMBER_SYSTEM.equals(insurer.getSystem()) || insurer.getValue() == null) {
            throw invalid("CoverageEligibilityRequest.insurer.identifier", "insurer-number-required",
                    "Name the insurer by its insurer number (" + INSURER_NUMBER_SYSTEM + ").");
        }
        LocalDate birth = birthDate(request).orElseThrow(() -> invalid("CoverageEligibilityRequest.patient", "birth-date-required",
                "The patient (a contained Patient) must carry the birth date for a check by insured person."));
        return new Check(request, null, null, new Requests.NumberCheck(insurer.getValue(), parts[0], parts[1], parts[2], birth));
    }

    private static Optional<LocalDate> birthDate(CoverageEligibilityRequest request) {
        String ref = request.getPatient().getReference();
        if (ref == null || !ref.startsWith("#")) {
            return Optional.empty();
        }
        return request.getContained().stream()
                .filter(r -> r instanceof Patient && ref.substring(1).equals(r.getIdElement().getIdPart()))
                .map(r -> ((Patient) r).getBirthDateElement())
                .filter(d -> d.getValue() != null && d.getPrecision() == ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY)
                .map(d -> LocalDate.parse(d.getValueAsString()))
                .findFirst();
    }

    private static Problem invalid(String expression, String code, String message) {
        return new Problem(400, code, message, Map.of("violations", List.of(Map.of("field", expression, "message", message))));
    }

    /** A member was found: the coverage, the insurer, the copay and the name exactly as the insurer registered it. */
    static boolean hasCoverage(CheckAnswer answer) {
        return answer.coverage() != null;
    }

    static CoverageEligibilityResponse response(CoverageEligibilityRequest request, CheckAnswer answer) {
        org.myna.insurance.eligibility.Coverage c = answer.coverage();
        CoverageEligibilityResponse response = new CoverageEligibilityResponse();

        Patient patient = new Patient();
        patient.setId("patient");
        patient.addName(name(c.familyName(), c.givenName(), "IDE"));
        if (c.familyNameKana() != null) {
            patient.addName(name(c.familyNameKana(), c.givenNameKana(), "SYL"));
        }
        patient.setBirthDateElement(new DateType(c.dateOfBirth().toString()));

        Organization insurer = new Organization();
        insurer.setId("insurer");
        insurer.addIdentifier().setSystem(INSURER_NUMBER_SYSTEM).setValue(c.insurerNumber());
        insurer.setActive(true).setName(c.insurerName());

        Coverage coverage = new Coverage();
        coverage.setId("coverage");
        coverage.setStatus(Coverage.CoverageStatus.ACTIVE);
        coverage.addIdentifier().setSystem(INSURED_PERSON_SYSTEM).setValue(c.symbol() + ":" + c.number() + ":" + c.branch());
        coverage.setSubscriberId(c.number()).setDependent(c.branch());
        coverage.setBeneficiary(new Reference("#patient"));
        coverage.addPayor(new Reference("#insurer"));
        Period period = period(c.validFrom(), c.validUntil());
        coverage.setPeriod(period);
        // 自己負担割合: the share of the bill the patient pays, as a percentage.
        coverage.addCostToBeneficiary()
                .setType(new CodeableConcept().addCoding(new Coding(COPAY_TYPE, "copaypct", "Copay Percentage")))
                .setValue(new Quantity().setValue(c.copayRate()).setUnit("%").setSystem("http://unitsofmeasure.org").setCode("%"));

        response.addContained(patient).addContained(insurer).addContained(coverage);
        response.addIdentifier().setSystem(CHECK_SYSTEM).setValue(Long.toString(answer.checkId()));
        response.setStatus(EligibilityResponseStatus.ACTIVE);
        response.addPurpose(EligibilityResponsePurpose.VALIDATION);
        response.setPatient(new Reference("#patient"));
        response.setCreatedElement(now());
        response.setRequest(requestReference(request, answer));
        response.setOutcome(RemittanceOutcome.COMPLETE);
        // The suite's result code: covered, coverage-not-started or coverage-ended.
        response.setDisposition(answer.result());
        response.setInsurer(new Reference("#insurer"));
        response.addInsurance().setCoverage(new Reference("#coverage")).setInforce("covered".equals(answer.result()))
                .setBenefitPeriod(period.copy());
        return response;
    }

    /** Nobody to answer for (card revoked or suspended, not linked, not found, certificate expired): a 422 outcome. */
    static OperationOutcome refusal(CheckAnswer answer) {
        OperationOutcome outcome = FhirOutcomes.outcome(422, answer.result(), describe(answer.result()));
        outcome.getIssueFirstRep().setDiagnostics("Eligibility check " + answer.checkId() + " recorded this answer.");
        if (answer.fallbacks() != null) {
            for (String fallback : answer.fallbacks()) {
                outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                        .setDetails(new CodeableConcept().addCoding(new Coding(FhirOutcomes.FALLBACKS, fallback, null))
                                .setText("Ask again by " + fallback + "."));
            }
        }
        return outcome;
    }

    private static String describe(String result) {
        return switch (result) {
            case "card-revoked" -> "The card is revoked; it confirms nothing.";
            case "card-suspended" -> "The card is suspended; it confirms nothing.";
            case "certificate-expired" -> "The card's certificate has expired; use the eligibility certificate or the insurance number.";
            case "not-linked" -> "No insurer has linked this card's holder; ask for the eligibility certificate or the insurance number.";
            case "not-found" -> "No member matches these identifiers.";
            default -> "The check answered " + result + ".";
        };
    }

    /** The name exactly as stored (no normalisation); IDE = ideographic (kanji), SYL = syllabic (kana), as JP Core marks them. */
    private static HumanName name(String family, String given, String representation) {
        HumanName name = new HumanName().setUse(HumanName.NameUse.OFFICIAL).setFamily(family);
        if (given != null) {
            name.addGiven(given);
        }
        name.addExtension(EN_REPRESENTATION, new CodeType(representation));
        return name;
    }

    private static Reference requestReference(CoverageEligibilityRequest request, CheckAnswer answer) {
        Reference ref = new Reference().setType("CoverageEligibilityRequest");
        if (!request.getIdentifier().isEmpty() && request.getIdentifierFirstRep().hasValue()) {
            return ref.setIdentifier(request.getIdentifierFirstRep().copy());
        }
        return ref.setIdentifier(new Identifier().setSystem(CHECK_SYSTEM).setValue(Long.toString(answer.checkId())));
    }

    private static Period period(LocalDate from, LocalDate until) {
        Period period = new Period().setStartElement(new DateTimeType(from.toString()));
        if (until != null) {
            period.setEndElement(new DateTimeType(until.toString()));
        }
        return period;
    }

    static DateTimeType now() {
        return new DateTimeType(new Date(), ca.uhn.fhir.model.api.TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone(JAPAN));
    }
}
