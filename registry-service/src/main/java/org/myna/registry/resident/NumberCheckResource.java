package org.myna.registry.resident;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.myna.platform.ratelimit.RateLimited;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/** Tells whether a string is a well-formed individual number. It never says whether a number is assigned. */
@Path("/api/individual-numbers/check")
@PermitAll
@RateLimited("number-check")
public class NumberCheckResource {

    public record CheckRequest(@NotNull String number) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckResponse(boolean wellFormed, String defect) {
    }

    @Extension(name = "x-rate-limited", value = "true")
    @POST
    public CheckResponse check(@NotNull @jakarta.validation.Valid CheckRequest request) {
        return IndividualNumber.defectOf(request.number())
                .map(d -> new CheckResponse(false, d.code()))
                .orElse(new CheckResponse(true, null));
    }
}
