package org.myna.registry.resident;

import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.LockModeType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.myna.platform.idempotency.IdempotencyKeys;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.Roles;
import org.myna.registry.vid.ResidentIdentifiers;

import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

@Path("/api/residents")
@RolesAllowed(Roles.CLERK)
public class ResidentResource {

    static final int MAX_BATCH = 10_000;

    private final ResidentService residents;
    private final BatchService batches;
    private final ResidentIdentifiers identifiers;

    public ResidentResource(ResidentService residents, BatchService batches, ResidentIdentifiers identifiers) {
        this.residents = residents;
        this.batches = batches;
        this.identifiers = identifiers;
    }

    @Extension(name = "x-refusals", value = "400 invalid-idempotency-key, 409 idempotency-key-reused, 503 number-space-congested")
    @APIResponse(responseCode = "201", description = "Registered: the new resident and the number assigned", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ResidentResponse.class)))
    @APIResponse(responseCode = "200", description = "Already registered under this Idempotency-Key: the same resident", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ResidentResponse.class)))
    @POST
    public Response register(@NotNull @Valid RegisterResidentRequest request,
                             @HeaderParam("Idempotency-Key") String idempotencyKey) {
        String key = idempotencyKey == null ? "auto:" + UUID.randomUUID() : validKey(idempotencyKey);
        ResidentService.Registration registration = residents.register(request, key);
        return Response.status(registration.created() ? 201 : 200).entity(registration.resident()).build();
    }

    /**
     * The number, or the resident's virtual ID, travels in the body, never in a URL: request lines reach access logs,
     * proxies and traces.
     */
    public record LookupRequest(String number) {
        @Override
        public String toString() {
            return "LookupRequest[number=************]";
        }
    }

    /**
     * Looked up by a virtual ID, the record comes back without the number: the VID is there so that the organisation
     * never learns it. An unknown, revoked or expired VID is answered as an unknown number.
     */
    @Extension(name = "x-refusals", value = "400 invalid-number, 400 invalid-purpose, 404 resident-not-found")
    @POST
    @Path("lookup")
    public ResidentResponse read(@NotNull LookupRequest request, @HeaderParam("X-Purpose") String purpose) {
        String why = purpose(purpose, "resident-record-inquiry");
        ResidentIdentifiers.requireWellFormed("number", request.number());
        ResidentIdentifiers.Resolved resolved = identifiers.resolve(request.number(), why);
        IndividualNumber number = resolved.number().orElseThrow(ResidentService::notFound);
        ResidentResponse response = residents.read(number, why);
        return resolved.viaVirtualId() ? response.withoutNumber() : response;
    }

    @Extension(name = "x-refusals", value = "400 invalid-number, 400 empty-update, 404 resident-not-found, 409 resident-deceased")
    @POST
    @Path("changes")
    public ResidentResponse update(@NotNull @Valid UpdateResidentRequest request) {
        return residents.update(IndividualNumber.fromRequest(request.number()), request);
    }

    @Extension(name = "x-refusals", value = "400 invalid-number, 400 date-before-birth, 404 resident-not-found, 409 resident-deceased")
    @POST
    @Path("deaths")
    public ResidentResponse death(@NotNull @Valid RecordDeathRequest request) {
        return residents.recordDeath(IndividualNumber.fromRequest(request.number()), request.dateOfDeath());
    }

    @POST
    @Path("batch")
    public BatchService.BatchResponse batch(@NotNull BatchService.BatchRequest request) {
        return batches.importBatch(request, MAX_BATCH);
    }

    static String validKey(String key) {
        if (!IdempotencyKeys.valid(key)) {
            throw Problem.invalidField("Idempotency-Key", "invalid-idempotency-key",
                    "Idempotency-Key must be 1-" + IdempotencyKeys.MAX_LENGTH + " visible ASCII characters.");
        }
        return key;
    }

    static String purpose(String given, String fallback) {
        if (given == null || given.isBlank()) {
            return fallback;
        }
        if (given.length() > 100 || !given.matches("[\\x20-\\x7e]+")) {
            throw Problem.invalidField("X-Purpose", "invalid-purpose", "X-Purpose must be up to 100 printable ASCII characters.");
        }
        return given;
    }
}
