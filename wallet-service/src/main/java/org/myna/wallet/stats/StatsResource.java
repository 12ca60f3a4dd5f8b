package org.myna.wallet.stats;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.campaign.Campaign;
import org.myna.wallet.campaign.CampaignRequests.CampaignReport;
import org.myna.wallet.campaign.CampaignRequests.RuleReport;
import org.myna.wallet.campaign.CampaignRule;
import org.myna.wallet.campaign.CampaignService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adoption of the point campaigns, for publication: per campaign the people granted per rule and the points, under
 * {@link CampaignStats}. The exact per-campaign figures stay in the auditors' report ({@code /api/campaigns/{id}/report}).
 */
@Path("/api/stats")
@RolesAllowed(Roles.AUDITOR)
@Tag(name = "Statistics", description = "Aggregate campaign figures under disclosure control")
public class StatsResource {

    private final CampaignService campaigns;

    public StatsResource(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    public record DisclosureRule(int minimumCell, int roundingBase, String method) {
    }

    public record Stats(DisclosureRule disclosure, List<CampaignStats.CampaignCell> campaigns) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Per campaign: applicants (people granted) per rule and points granted, aggregate only",
            description = "No figure describes fewer than " + CampaignStats.MINIMUM + " people (null, suppressed: true), with "
                    + "complementary suppression within a campaign; people rounded to a multiple of " + CampaignStats.BASE
                    + ", points to " + CampaignStats.BASE + " times the rule's largest grant per person.")
    @APIResponse(responseCode = "200", description = "The statistics")
    @APIResponse(responseCode = "401", description = "No valid bearer token", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "Not an auditor", content = @Content(mediaType = "application/problem+json"))
    public Stats stats() {
        List<CampaignStats.CampaignCell> out = new ArrayList<>();
        for (Campaign c : Campaign.<Campaign>list("order by id")) {
            CampaignReport report = campaigns.report(c.id);
            Map<String, Long> perPerson = new LinkedHashMap<>();
            for (CampaignRule r : CampaignRule.<CampaignRule>list("campaignId = ?1", c.id)) {
                perPerson.put(r.rule, r.fixed() && r.amount != null ? r.amount : r.cap);
            }
            Map<String, CampaignStats.RuleCount> rules = new LinkedHashMap<>();
            for (RuleReport r : report.rules()) {
                rules.put(r.rule(), new CampaignStats.RuleCount(r.people(), r.granted(), perPerson.getOrDefault(r.rule(), 1L)));
            }
            out.add(CampaignStats.protect(c.id, c.name, report.people(), report.granted(), rules));
        }
        return new Stats(new DisclosureRule(CampaignStats.MINIMUM, CampaignStats.BASE,
                "rules under " + CampaignStats.MINIMUM + " people withheld with a complementary rule; rounded figures"), out);
    }
}
