package org.myna.wallet.stats;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.myna.wallet.support.Wallet.PROVIDER;

/** Campaign statistics: applicants per rule and points, no figure for fewer than ten people, none recomputable. */
@QuarkusTest
class CampaignStatsTest {

    /** people residents granted insurance-link, the first {@code alsoFund} of them public-fund-account too. */
    static String campaignWith(int people, int alsoFund) {
        String campaign = Wallet.campaign(10_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        for (int i = 0; i < people; i++) {
            String resident = Tokens.linkCode();
            Wallet.choose(resident, campaign, service);
            Wallet.apply(resident, campaign, "insurance-link").then().statusCode(201);
            if (i < alsoFund) {
                Wallet.apply(resident, campaign, "public-fund-account").then().statusCode(201);
            }
        }
        return campaign;
    }

    static Map<String, Object> statsOf(String campaign) {
        JsonPath stats = given().auth().oauth2(Tokens.auditor()).get("/api/stats").then().statusCode(200)
                .body("disclosure.minimumCell", equalTo(10)).extract().jsonPath();
        return stats.getMap("campaigns.find { it.campaign == '" + campaign + "' }");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRuleWithFewerThanTenApplicantsIsWithheldWithAPartnerSoTheTotalMinusTheRestGivesNothingBack() {
        String campaign = campaignWith(12, 3);
        Map<String, Object> stats = statsOf(campaign);
        Map<String, Map<String, Object>> rules = (Map<String, Map<String, Object>>) stats.get("byRule");
        assertThat(rules.get("public-fund-account").get("applicants")).isNull();
        assertThat(rules.get("public-fund-account").get("pointsGranted")).isNull();
        // The only other rule is withheld too: otherwise 12 people - 12 = 0 would not help, but points 112,500 - 90,000 would.
        assertThat(rules.get("insurance-link").get("applicants")).isNull();
        assertThat(rules.get("insurance-link").get("pointsGranted")).isNull();
        // The subtraction on the campaign totals: nothing published to subtract, and the totals themselves are rounded.
        long applicants = ((Number) stats.get("applicants")).longValue();
        long points = ((Number) stats.get("pointsGranted")).longValue();
        long publishedApplicants = rules.values().stream().filter(r -> r.get("applicants") != null)
                .mapToLong(r -> ((Number) r.get("applicants")).longValue()).sum();
        long publishedPoints = rules.values().stream().filter(r -> r.get("pointsGranted") != null)
                .mapToLong(r -> ((Number) r.get("pointsGranted")).longValue()).sum();
        assertThat(applicants - publishedApplicants).isNotIn(3L, 12L);
        assertThat(points - publishedPoints).isNotIn(3L * 7500, 12L * 7500);
        assertThat(applicants % 10).isZero();
        assertThat(points % 75_000).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void rulesOfTenOrMorePeopleArePublishedRounded() {
        String campaign = campaignWith(13, 11);
        Map<String, Map<String, Object>> rules = (Map<String, Map<String, Object>>) statsOf(campaign).get("byRule");
        assertThat(rules.get("insurance-link")).containsEntry("applicants", 10).containsEntry("pointsGranted", 75_000);
        assertThat(rules.get("public-fund-account")).containsEntry("applicants", 10).containsEntry("pointsGranted", 75_000);
    }

    @Test
    void theTableAloneAnswersTheSubtractionAttack() {
        Map<String, CampaignStats.RuleCount> rules = new LinkedHashMap<>();
        rules.put("card-acquisition", new CampaignStats.RuleCount(40, 150_000, 5000));
        rules.put("insurance-link", new CampaignStats.RuleCount(25, 187_500, 7500));
        rules.put("public-fund-account", new CampaignStats.RuleCount(4, 30_000, 7500));
        CampaignStats.CampaignCell cell = CampaignStats.protect("c", "c", 45, 367_500, rules);
        assertThat(cell.byRule().get("public-fund-account").applicants()).isNull();
        // Its partner is the smallest other rule.
        assertThat(cell.byRule().get("insurance-link").applicants()).isNull();
        assertThat(cell.byRule().get("card-acquisition").applicants()).isEqualTo(40L);
        long left = cell.pointsGranted() - cell.byRule().get("card-acquisition").pointsGranted();
        assertThat(left).isNotEqualTo(30_000).isNotEqualTo(187_500);
    }

    @Test
    void onlyAuditorsReadStatisticsAndTheRefusalIsAProblem() {
        given().auth().oauth2(Tokens.resident(Tokens.linkCode())).get("/api/stats").then().statusCode(403)
                .contentType("application/problem+json");
    }
}
