package org.myna.registry.resident;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.myna.platform.ratelimit.RateLimited;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/**
 * Tells whether a string is a well-formed individual number (12 digits) or virtual ID (16 digits). It checks the
 * syntax only, never the register: it cannot say whether a number is assigned, nor whether a VID is active, revoked
 * or expired, so it is no oracle for either.
 */
@Path("/api/individual-numbers/check")
@PermitAll
@RateLimited("number-check")
public class NumberCheckResource {

    public record CheckRequest(@NotNull String number) {
        @Override
        public String toString() {
            return "CheckRequest[number=************]";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckResponse(boolean wellFormed, String kind, String defect) {
        @Override
        public String toString() {
            return "CheckResponse[wellFormed=" + wellFormed + "]";
        }
    }

    @Extension(name = "x-rate-limited", value = "true")
    @POST
    public CheckResponse check(@NotNull @jakarta.validation.Valid CheckRequest request) {
        if (org.myna.registry.vid.VirtualId.shaped(request.number())) {
            return org.myna.registry.vid.VirtualId.defectOf(request.number())
                    .map(d -> new CheckResponse(false, "virtual-id", d.code()))
                    .orElse(new CheckResponse(true, "virtual-id", null));
        }
        return IndividualNumber.defectOf(request.number())
                .map(d -> new CheckResponse(false, null, d.code()))
                .orElse(new CheckResponse(true, "individual-number", null));
    }
}
