package org.myna.registry.accesslog;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.Caller;
import org.myna.registry.auth.Roles;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;

/**
 * The access log across residents: the other services deliver their rows here, and an auditor exports one
 * organisation's reads over a period. The resident's own view is {@code GET /api/me/access-log}.
 */
@Path("/api/access-log")
@Produces(MediaType.APPLICATION_JSON)
public class AccessLogResource {

    private final AccessLogIngest ingest;
    private final AccessLogQuery query;
    private final ExportSubjects subjects;
    private final AccessLog accessLog;
    private final Caller caller;

    public AccessLogResource(AccessLogIngest ingest, AccessLogQuery query, ExportSubjects subjects, AccessLog accessLog, Caller caller) {
        this.ingest = ingest;
        this.query = query;
        this.subjects = subjects;
        this.accessLog = accessLog;
        this.caller = caller;
    }

    /** A batch from a service's outbox; answering 200 means every row is recorded (or was already, or names nobody). */
    @POST
    @Path("entries")
    @RolesAllowed(Roles.SERVICE)
    @Consumes(MediaType.APPLICATION_JSON)
    public AccessLogIngest.Receipt deliver(@NotNull @Valid AccessLogIngest.Batch batch) {
        return ingest.ingest(caller.id(), batch);
    }

    /**
     * An auditor's export of one organisation's reads over a period, newest first, paged like the resident's view
     * (the {@code Link} header names the next page). Residents appear under an export pseudonym, never a number, a
     * link code or the registry's id; each resident on a page is told, in their own log, that an auditor read it.
     */
    @APIResponse(responseCode = "200", description = "One page of rows, newest first; a Link header (rel=next) names the next page",
            content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.ARRAY, implementation = Object.class)))
    @GET
    @RolesAllowed(Roles.AUDITOR)
    public Response export(@QueryParam("organisation") String organisation, @QueryParam("from") String from,
                           @QueryParam("to") String to, @QueryParam("cursor") String cursor, @QueryParam("limit") String limit,
                           @Context UriInfo uri) {
        if (organisation == null || from == null || to == null) {
            throw Problem.badRequest("export-period-required", "Name the organisation and the period: organisation, from and to.");
        }
        AccessLogFilter filter = AccessLogFilter.parse(organisation, null, from, to, limit);
        return QuarkusTransaction.requiringNew().call(() -> {
            AccessLogQuery.Page page = query.page(null, filter, cursor);
            Set<Long> residents = new LinkedHashSet<>();
            List<Map<String, Object>> rows = page.rows().stream().map(r -> {
                residents.add(r.entry().residentId);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("subject", subjects.of(r.entry().residentId));
                row.putAll(AccessLogViews.row(r));
                return row;
            }).toList();
            residents.forEach(id -> accessLog.record(id, AccessLog.READ, "access-log-export:" + organisation, "accessLog"));
            return AccessLogViews.page(rows, page.next(), uri);
        });
    }
}
