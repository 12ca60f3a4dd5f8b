package org.myna.wallet.campaign;

import java.util.List;

public final class CampaignRequests {
    private CampaignRequests() {
    }

    public record RuleSpec(String rule, String kind, Long amount, Integer percent, Long cap) {
    }

    public record CreateCampaign(String id, String name, Long budget, String startsAt, String endsAt, List<RuleSpec> rules) {
    }

    public record CampaignResponse(String id, String name, long budget, long granted, String startsAt, String endsAt, List<RuleSpec> rules) {
    }

    public record RuleReport(String rule, long granted, long people) {
    }

    public record CampaignReport(String campaign, long budget, long granted, long remaining, long people, List<RuleReport> rules) {
    }
}
