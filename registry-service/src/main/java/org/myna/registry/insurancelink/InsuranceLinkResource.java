package org.myna.registry.insurancelink;

import io.quarkus.security.ForbiddenException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.Caller;
import org.myna.registry.auth.Roles;
import org.myna.registry.auth.ServiceAudiences;
import org.myna.registry.vid.ResidentIdentifiers;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/** The insurance service's door to the register: link a member by number plus attributes, re-check a link later. */
@Path("/api/insurance-links")
@RolesAllowed(Roles.SERVICE)
public class InsuranceLinkResource {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(InsuranceLinkResource.class);

    private final InsuranceLinkService links;
    private final Caller caller;
    private final ServiceAudiences audiences;

    public InsuranceLinkResource(InsuranceLinkService links, Caller caller, ServiceAudiences audiences) {
        this.links = links;
        this.caller = caller;
        this.audiences = audiences;
    }

    @Extension(name = "x-refusals", value = "400 invalid-number, 422 attributes-mismatch, 422 no-match")
    @POST
    public Linked link(@NotNull @Valid InsuranceLinkRequest request) {
        requireInsuranceClient();
        // The number or the resident's virtual ID; an unknown, revoked or expired VID reads no-match, as an unknown number.
        ResidentIdentifiers.requireWellFormed("number", request.number());
        InsuranceLinkService.LinkOutcome outcome = links.link(request);
        // One line per answer for operators, tied to the caller's trace; it names the outcome, never the person.
        LOG.infof("insurance link for %s answered %s", caller.id(), outcome.getClass().getSimpleName());
        if (outcome instanceof InsuranceLinkService.Linked linked) {
            return new Linked(linked.linkCode());
        }
        if (outcome instanceof InsuranceLinkService.Mismatch mismatch) {
            throw new Problem(422, "attributes-mismatch",
                    "These attribute groups differ from the register: " + String.join(", ", mismatch.groups()) + ".",
                    Map.of("mismatched", mismatch.groups()));
        }
        throw new Problem(422, "no-match", "No resident matches this number and these attributes.");
    }

    /** The link code the registry gives this insurer for the resident. */
    public record Linked(String linkCode) {
    }

    /** One answer per link of the batch, in order. */
    public record LinkResults(List<LinkResult> results) {
    }

    /** One answer per link re-checked, in order. */
    public record Verifications(List<InsuranceLinkService.LinkVerification> results) {
    }

    /** One answer of a batch link: outcome linked, attributes-mismatch, no-match or invalid-number. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record LinkResult(String outcome, String linkCode, List<String> mismatched, String defect) {

        static LinkResult of(InsuranceLinkService.LinkOutcome outcome) {
            if (outcome instanceof InsuranceLinkService.Linked linked) {
                return new LinkResult("linked", linked.linkCode(), null, null);
            }
            if (outcome instanceof InsuranceLinkService.Mismatch mismatch) {
                return new LinkResult("attributes-mismatch", null, mismatch.groups(), null);
            }
            if (outcome instanceof InsuranceLinkService.Malformed malformed) {
                return new LinkResult("invalid-number", null, null, malformed.defect());
            }
            return new LinkResult("no-match", null, null, null);
        }
    }

    /**
     * An insurer's bulk enrolment: up to 500 members per call, one answer each in the order asked, judged exactly as
     * single links are. A malformed number is that entry's answer, not the page's failure.
     */
    @POST
    @Path("batch")
    public LinkResults linkAll(@NotNull @Valid LinkBatchRequest request) {
        requireInsuranceClient();
        List<LinkResult> results = links.linkAll(request.links()).stream().map(LinkResult::of).toList();
        LOG.infof("insurance link batch of %d for %s answered %d linked", results.size(), caller.id(),
                results.stream().filter(r -> r.linkCode() != null).count());
        return new LinkResults(results);
    }

    @POST
    @Path("verify")
    public InsuranceLinkService.Verification verify(@NotNull @Valid VerifyLinkRequest request) {
        requireInsuranceClient();
        return links.verify(request);
    }

    /** Reconciliation in bulk: up to 500 links per call, one answer each, in the order asked. */
    @POST
    @Path("verifications")
    public Verifications verifyAll(@NotNull @Valid VerifyLinksRequest request) {
        requireInsuranceClient();
        return new Verifications(links.verifyAll(request.links()));
    }

    /** The role alone is not enough: the wallet is a service too, and must never obtain an insurance link code. */
    private void requireInsuranceClient() {
        if (!audiences.audienceOf(caller.id()).filter("insurance"::equals).isPresent()) {
            throw new ForbiddenException();
        }
    }
}
