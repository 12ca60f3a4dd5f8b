package org.myna.registry.vid;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.myna.registry.auth.OperationTokens;
import org.myna.registry.auth.ResidentSubjects;
import org.myna.registry.auth.Roles;

/**
 * The resident's virtual ID: a revocable 16-digit alias they give an organisation instead of their number. The
 * path names no one; the resident is the token's.
 */
@Path("/api/me/virtual-id")
@Produces(MediaType.APPLICATION_JSON)
public class VirtualIdResource {

    private final VirtualIdService vids;
    private final ResidentSubjects subjects;
    private final JsonWebToken jwt;

    public VirtualIdResource(VirtualIdService vids, ResidentSubjects subjects, JsonWebToken jwt) {
        this.vids = vids;
        this.subjects = subjects;
        this.jwt = jwt;
    }

    @POST
    @RolesAllowed(OperationTokens.GROUP)
    @Operation(summary = "Create a virtual ID (single-use operation token 'create-virtual-id'); shown once, only its keyed hash is kept")
    @APIResponse(responseCode = "201", description = "the 16-digit virtual ID, its creation and expiry")
    @APIResponse(responseCode = "409", description = "virtual-id-active: revoke the active one first; operation-token-used")
    public Response create() {
        return Response.status(201).entity(vids.create(jwt)).build();
    }

    @GET
    @RolesAllowed(Roles.RESIDENT)
    @Operation(summary = "Whether a virtual ID is active, and until when (never the VID itself)")
    public VirtualIdService.Status status() {
        return vids.status(subjects.residentId(jwt));
    }

    @DELETE
    @RolesAllowed(Roles.RESIDENT)
    @Operation(summary = "Revoke the active virtual ID at once: from now on it resolves to nothing, like an unknown one")
    @APIResponse(responseCode = "204", description = "revoked")
    @APIResponse(responseCode = "404", description = "no-active-virtual-id")
    public Response revoke() {
        vids.revoke(subjects.residentId(jwt));
        return Response.noContent().build();
    }
}
