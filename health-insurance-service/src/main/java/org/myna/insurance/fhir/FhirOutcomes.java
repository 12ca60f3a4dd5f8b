package org.myna.insurance.fhir;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.StringType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.myna.platform.problem.ProblemMapper;

import java.util.List;
import java.util.Map;

/**
 * Every refusal under {@code /fhir} is an OperationOutcome, never problem+json: the issue's details carry the suite's
 * reason code (the problem's {@code code}) in {@link #REASONS}, its code the nearest FHIR issue type. One response
 * filter converts whatever mapper answered (validation, authentication, rate limit, admission, persistence), so the
 * FHIR endpoints refuse exactly as the REST checks do, with the same statuses.
 */
public class FhirOutcomes {

    /** The suite's reason codes (problem codes and eligibility results), as a FHIR code system. */
    public static final String REASONS = "https://myna.example/fhir/CodeSystem/reason";
    /** What a clinic may try when the card cannot answer (CheckAnswer.FALLBACKS). */
    public static final String FALLBACKS = "https://myna.example/fhir/CodeSystem/fallback";

    public static OperationOutcome outcome(int status, String code, String detail) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(status >= 500 ? IssueSeverity.FATAL : IssueSeverity.ERROR)
                .setCode(issueType(status, code))
                .setDetails(new CodeableConcept().addCoding(new Coding(REASONS, code, null)).setText(detail));
        return outcome;
    }

    static IssueType issueType(int status, String code) {
        if ("malformed-fhir".equals(code) || "malformed-json".equals(code)) {
            return IssueType.STRUCTURE;
        }
        return switch (status) {
            case 400 -> IssueType.INVALID;
            case 401 -> IssueType.LOGIN;
            case 403 -> IssueType.FORBIDDEN;
            case 404 -> IssueType.NOTFOUND;
            case 405, 406, 415 -> IssueType.NOTSUPPORTED;
            case 409 -> IssueType.CONFLICT;
            case 413 -> IssueType.TOOCOSTLY;
            case 422 -> IssueType.BUSINESSRULE;
            case 429 -> IssueType.THROTTLED;
            case 502, 503, 504 -> IssueType.TRANSIENT;
            default -> status >= 500 ? IssueType.EXCEPTION : IssueType.PROCESSING;
        };
    }

    private final FhirJson fhir;

    public FhirOutcomes(FhirJson fhir) {
        this.fhir = fhir;
    }

    /** problem+json answered on a FHIR path becomes the same refusal as an OperationOutcome (application/fhir+json). */
    @ServerResponseFilter
    public void toOperationOutcome(ContainerRequestContext request, ContainerResponseContext response) {
        if (!request.getUriInfo().getPath().startsWith("/fhir")) {
            return;
        }
        MediaType type = response.getMediaType();
        if (type == null || !type.isCompatible(ProblemMapper.PROBLEM_JSON) || !(response.getEntity() instanceof Map<?, ?> problem)) {
            return;
        }
        OperationOutcome outcome = outcome(response.getStatus(), String.valueOf(problem.get("code")), String.valueOf(problem.get("detail")));
        if (problem.get("violations") instanceof List<?> violations) {
            // The offending fields, as the problem's violations list them.
            for (Object v : violations) {
                if (v instanceof Map<?, ?> violation && violation.get("field") != null) {
                    outcome.getIssueFirstRep().getExpression().add(new StringType(String.valueOf(violation.get("field"))));
                }
            }
        }
        response.setEntity(fhir.encode(outcome), null, FhirJson.ANSWER_TYPE);
        response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, FhirJson.ANSWER_TYPE.toString());
        if (response.getStatus() == 401) {
            response.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
    }
}
