package org.myna.wallet.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Disclosure control for one campaign's table: per rule, the people granted (applicants) and the points they received.
 * No figure describes fewer than {@link #MINIMUM} people: a rule with fewer has both figures withheld (null), and its
 * points with it (points of fewer than ten people are a figure about them); a campaign with exactly one withheld rule
 * withholds the next smallest too, so the campaign's total minus the published rules names no withheld rule; people
 * are rounded to a multiple of {@link #BASE}, points to a multiple of BASE times the rule's largest grant per person
 * (so the points say no more than the rounded head count), totals rounded on their own.
 */
public final class CampaignStats {

    public static final int MINIMUM = 10;
    public static final int BASE = 10;

    private CampaignStats() {
    }

    /** True figures of one rule; {@code perPerson} is the most one person can receive by it. */
    public record RuleCount(long applicants, long points, long perPerson) {
    }

    public record RuleCell(Long applicants, Long pointsGranted, boolean suppressed) {
    }

    public record CampaignCell(String campaign, String name, Long applicants, Long pointsGranted, boolean suppressed,
                               Map<String, RuleCell> byRule) {
    }

    public static CampaignCell protect(String campaign, String name, long applicants, long points, Map<String, RuleCount> rules) {
        List<String> keys = new ArrayList<>(rules.keySet());
        Map<String, Boolean> out = new LinkedHashMap<>();
        keys.forEach(k -> out.put(k, rules.get(k).applicants() < MINIMUM));
        boolean totalOut = applicants < MINIMUM;
        if (!totalOut && out.values().stream().filter(b -> b).count() == 1) {
            String partner = keys.stream().filter(k -> !out.get(k)).min(Comparator.comparingLong(k -> rules.get(k).applicants())).orElse(null);
            if (partner == null) {
                totalOut = true;
            } else {
                out.put(partner, true);
            }
        }
        long maxPerPerson = rules.values().stream().mapToLong(RuleCount::perPerson).max().orElse(1);
        Map<String, RuleCell> cells = new LinkedHashMap<>();
        for (String k : keys) {
            RuleCount r = rules.get(k);
            cells.put(k, out.get(k) ? new RuleCell(null, null, true)
                    : new RuleCell(round(r.applicants(), BASE), round(r.points(), BASE * Math.max(1, r.perPerson())), false));
        }
        return new CampaignCell(campaign, name, totalOut ? null : round(applicants, BASE),
                totalOut ? null : round(points, BASE * Math.max(1, maxPerPerson)), totalOut || out.containsValue(true), cells);
    }

    /** To the nearest multiple of base, halves up. */
    static long round(long n, long base) {
        return Math.floorDiv(n + base / 2, base) * base;
    }
}
