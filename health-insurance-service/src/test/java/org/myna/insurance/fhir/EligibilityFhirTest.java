package org.myna.insurance.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.CoverageEligibilityRequest;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.myna.insurance.eligibility.Requests;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** The FHIR request read into the REST check it names, after a round trip through HAPI's JSON. */
class EligibilityFhirTest {

    @Test
    void readsTheInsuredPersonTheInsurerAndTheContainedPatientsBirthDate() {
        CoverageEligibilityRequest request = new CoverageEligibilityRequest();
        request.setStatus(CoverageEligibilityRequest.EligibilityRequestStatus.ACTIVE);
        request.addPurpose(CoverageEligibilityRequest.EligibilityRequestPurpose.VALIDATION);
        request.setCreatedElement(new DateTimeType("2026-12-07T10:00:00+09:00"));
        Patient patient = new Patient();
        patient.setId("p");
        patient.setBirthDateElement(new DateType("1990-04-01"));
        request.addContained(patient);
        request.setPatient(new Reference("#p"));
        request.setInsurer(new Reference().setIdentifier(new Identifier().setSystem(EligibilityFhir.INSURER_NUMBER_SYSTEM).setValue("06139993")));
        request.addInsurance().setCoverage(new Reference().setIdentifier(new Identifier().setSystem(EligibilityFhir.INSURED_PERSON_SYSTEM)
                .setValue("記号123:456789:01")));
        FhirContext ctx = FhirContext.forR4Cached();
        String json = ctx.newJsonParser().encodeResourceToString(request);
        Resource parsed = (Resource) new FhirJson().parseAny(json);
        Requests.NumberCheck number = EligibilityFhir.read(parsed).number();
        assertThat(number).as(json).isEqualTo(new Requests.NumberCheck("06139993", "記号123", "456789", "01", LocalDate.of(1990, 4, 1)));
    }
}
