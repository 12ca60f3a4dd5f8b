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

/** A clerk registers a resident's seal impression. */
@Path("/api/residents/{number}/seal")
@RolesAllowed(Roles.CLERK)
public class SealRegistrationResource {

    public record RegisterSealRequest(String image, String mediaType) {
    }

    private final SealService seals;
    private final ImageInspector images;

    public SealRegistrationResource(SealService seals, ImageInspector images) {
        this.seals = seals;
        this.images = images;
    }

    @POST
    public Response register(@PathParam("number") String number, @NotNull RegisterSealRequest request) {
        IndividualNumber parsed = parse(number);
        // The image is judged before any transaction: a refused upload stores nothing.
        ImageInspector.Inspected image = images.inspect(request.image(), request.mediaType());
        return Response.status(201).entity(seals.register(parsed, image)).build();
    }

    /** The problem names the defect, never the value. */
    static IndividualNumber parse(String number) {
        IndividualNumber.defectOf(number).ifPresent(defect -> {
            throw Problem.invalidField("number", "invalid-number",
                    "The individual number is malformed: " + defect.code() + ".");
        });
        return IndividualNumber.parse(number);
    }
}
