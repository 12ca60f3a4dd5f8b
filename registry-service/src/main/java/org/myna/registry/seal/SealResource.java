package org.myna.registry.seal;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.Roles;
import org.myna.registry.resident.IndividualNumber;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/** A clerk registers a resident's seal impression, and de-registers it at the resident's request (or a lost card). */
@Path("/api/seals")
@RolesAllowed(Roles.CLERK)
public class SealResource {

    /** The number travels in the body, never in a URL. */
    public record RegisterSealRequest(String number, String image, String mediaType) {
    }

    public record DeregistrationRequest(String reason) {
    }

    private final SealService seals;
    private final ImageInspector images;

    public SealResource(SealService seals, ImageInspector images) {
        this.seals = seals;
        this.images = images;
    }

    @Extension(name = "x-refusals", value = "400 invalid-number, 404 resident-not-found, 409 resident-deceased, 409 seal-already-registered, 409 seal-busy, 422 too-young")
    @APIResponse(responseCode = "201", description = "The seal is registered", content = @Content(mediaType = "application/json", schema = @Schema(implementation = SealService.Registered.class)))
    @POST
    public Response register(@NotNull RegisterSealRequest request) {
        IndividualNumber number = IndividualNumber.fromRequest(request.number());
        // The image is judged before any transaction: a refused upload stores nothing.
        ImageInspector.Inspected image = images.inspect(request.image(), request.mediaType());
        return Response.status(201).entity(seals.register(number, image)).build();
    }

    @Extension(name = "x-refusals", value = "400 invalid-reason, 404 seal-not-found, 409 seal-deregistered, 409 seal-busy")
    @POST
    @Path("{sealId}/deregistration")
    public SealService.Deregistered deregister(@PathParam("sealId") String sealId, @NotNull DeregistrationRequest request) {
        return seals.deregister(sealId(sealId), request.reason());
    }

    private static long sealId(String value) {
        if (value == null || !value.matches("[0-9]{1,18}")) {
            throw Problem.notFound("seal-not-found", "No such seal.");
        }
        return Long.parseLong(value);
    }
}
