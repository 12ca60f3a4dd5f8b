package org.myna.registry.stats;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.myna.registry.auth.Roles;

@Path("/api/stats")
@RolesAllowed(Roles.AUDITOR)
@Tag(name = "Statistics", description = "Aggregate adoption figures under disclosure control")
public class StatsResource {

    private final StatsService stats;

    public StatsResource(StatsService stats) {
        this.stats = stats;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Residents, active card holders and their share, by prefecture and by age band",
            description = "Aggregates only. No figure describes fewer than " + Disclosure.MINIMUM + " people: such cells are null "
                    + "(suppressed: true), with complementary suppression so that no withheld cell equals a total minus the "
                    + "published cells, and every published count, totals included, is rounded to a multiple of "
                    + Disclosure.BASE + ". Shares are computed from the rounded figures.")
    @APIResponse(responseCode = "200", description = "The statistics")
    @APIResponse(responseCode = "401", description = "No valid bearer token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not an auditor", content = @Content(mediaType = "application/problem+json"))
    public StatsService.Stats stats() {
        return stats.stats();
    }
}
