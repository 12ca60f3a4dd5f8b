package org.myna.insurance.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAPI's FhirValidator with the R4 base definitions only (hapi-fhir-validation-resources-r4), offline: no terminology
 * server, no package download. The façade's own OperationDefinitions are known to it, as a client that read
 * /fhir/metadata would know them. Every FHIR answer a test sees goes through {@link #assertValid}.
 */
final class FhirValidation {

    private static FhirValidator validator;

    private FhirValidation() {
    }

    static synchronized FhirValidator validator() {
        if (validator == null) {
            FhirContext ctx = FhirContext.forR4Cached();
            PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(ctx);
            ours.addResource(FhirConformance.check());
            ours.addResource(FhirConformance.challenge());
            ValidationSupportChain chain = new ValidationSupportChain(
                    new DefaultProfileValidationSupport(ctx),
                    ours,
                    new CommonCodeSystemsTerminologyService(ctx),
                    new InMemoryTerminologyServerValidationSupport(ctx),
                    new SnapshotGeneratingValidationSupport(ctx));
            FhirInstanceValidator instance = new FhirInstanceValidator(chain);
            validator = ctx.newValidator().registerValidatorModule(instance);
        }
        return validator;
    }

    /** No error and no fatal message; warnings and information are allowed (and printed, for whoever reads the log). */
    static ValidationResult assertValid(String json) {
        ValidationResult result = validator().validateWithResult(json);
        List<SingleValidationMessage> errors = result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL).toList();
        result.getMessages().stream().filter(m -> !errors.contains(m))
                .forEach(m -> System.out.println("FHIR validation " + m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage()));
        assertThat(errors).as("FHIR validation errors of %s", json)
                .extracting(m -> m.getLocationString() + ": " + m.getMessage()).isEmpty();
        return result;
    }
}
