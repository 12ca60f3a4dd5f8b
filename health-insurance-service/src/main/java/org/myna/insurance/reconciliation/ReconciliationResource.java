package org.myna.insurance.reconciliation;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.insurance.auth.Roles;
import org.myna.insurance.member.Member;
import org.myna.platform.problem.Problem;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Path("/api/reconciliations")
@RolesAllowed(Roles.AUDITOR)
public class ReconciliationResource {

    private final ReconciliationService reconciliations;
    private final JsonWebToken jwt;

    public ReconciliationResource(ReconciliationService reconciliations, JsonWebToken jwt) {
        this.reconciliations = reconciliations;
        this.jwt = jwt;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FindingView(long memberId, String insurerNumber, String symbol, String number, String branch,
                              String status, List<String> mismatched) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunView(long id, String status, String startedBy, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                          long checked, long findingCount, List<FindingView> findings) {
    }

    /** Starts now and answers 202 at once; poll the run for its findings. */
    @APIResponse(responseCode = "202", description = "The run has started; read it at /api/reconciliations/{id}", content = @Content(mediaType = "application/json", schema = @Schema(implementation = RunView.class)))
    @POST
    public Response start() {
        Reconciliation run = reconciliations.start(jwt.getSubject());
        return Response.accepted(new RunView(run.id, run.status, run.startedBy, run.startedAt, null, 0, 0, null))
                .header("Location", "/api/reconciliations/" + run.id).build();
    }

    @GET
    @Path("{id}")
    @Transactional(Transactional.TxType.SUPPORTS)
    public RunView read(@PathParam("id") long id) {
        Reconciliation run = Reconciliation.findById(id);
        if (run == null) {
            throw Problem.notFound("reconciliation-not-found", "No reconciliation with this id.");
        }
        List<FindingView> findings = ReconciliationFinding.<ReconciliationFinding>list("reconciliationId = ?1 order by id", id)
                .stream().map(f -> {
                    Member m = Member.findById(f.memberId);
                    return new FindingView(f.memberId, m.insurer.insurerNumber, m.symbol, m.number, m.branch, f.status,
                            f.mismatched == null ? null : Arrays.asList(f.mismatched.split(",")));
                }).toList();
        return new RunView(run.id, run.status, run.startedBy, run.startedAt, run.finishedAt, run.checked, run.findings, findings);
    }
}
