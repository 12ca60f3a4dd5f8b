package org.myna.registry.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Statistical disclosure control for one table of counts: rows (a prefecture, an age band) of residents and of active
 * card holders among them, with the column totals. Published figures never describe fewer than {@link #MINIMUM} people,
 * and no suppressed figure can be recomputed from what is published:
 * <ol>
 *   <li>primary suppression: a cell under the minimum is withheld ({@code null}); so is a holder count whose
 *       complement (residents without a card) is under the minimum, since residents minus holders would give it;
 *       and a row's holders whenever its residents are withheld;</li>
 *   <li>complementary suppression: a column with exactly one withheld cell has its total minus the rest equal to that
 *       cell, so the smallest other cell of that column is withheld too (repeated until stable); a column whose only
 *       candidates are gone withholds its total;</li>
 *   <li>rounding: every published figure, totals included, is rounded to a multiple of {@link #BASE} on its own, so a
 *       difference of published figures is off by up to half a base per term and names no exact count; shares are
 *       computed from the rounded figures, never from the true ones (which they would reveal).</li>
 * </ol>
 */
public final class Disclosure {

    public static final int MINIMUM = 10;
    public static final int BASE = 10;

    private Disclosure() {
    }

    /** True counts of one row. */
    public record Count(long residents, long holders) {
    }

    /** A published row: null where withheld. */
    public record Cell(Long residents, Long activeCardHolders, Double cardHolderShare, boolean suppressed) {
    }

    public record Table(Map<String, Cell> rows, Cell total) {
    }

    public static Table protect(Map<String, Count> counts) {
        List<String> keys = new ArrayList<>(counts.keySet());
        Map<String, Boolean> residentsOut = new LinkedHashMap<>();
        Map<String, Boolean> holdersOut = new LinkedHashMap<>();
        for (String k : keys) {
            Count c = counts.get(k);
            boolean r = c.residents() < MINIMUM;
            residentsOut.put(k, r);
            holdersOut.put(k, r || c.holders() < MINIMUM || c.residents() - c.holders() < MINIMUM);
        }
        long totalResidents = counts.values().stream().mapToLong(Count::residents).sum();
        long totalHolders = counts.values().stream().mapToLong(Count::holders).sum();
        boolean totalResidentsOut = totalResidents < MINIMUM;
        boolean totalHoldersOut = totalResidentsOut || totalHolders < MINIMUM || totalResidents - totalHolders < MINIMUM;
        boolean changed = true;
        while (changed) {
            changed = false;
            if (!totalResidentsOut && single(residentsOut)) {
                String partner = smallestPublished(keys, residentsOut, k -> counts.get(k).residents());
                if (partner == null) {
                    totalResidentsOut = true;
                    totalHoldersOut = true;
                } else {
                    residentsOut.put(partner, true);
                }
                changed = true;
            }
            for (String k : keys) {
                if (residentsOut.get(k) && !holdersOut.get(k)) {
                    holdersOut.put(k, true);
                    changed = true;
                }
            }
            if (!totalHoldersOut && single(holdersOut)) {
                String partner = smallestPublished(keys, holdersOut, k -> counts.get(k).holders());
                if (partner == null) {
                    totalHoldersOut = true;
                } else {
                    holdersOut.put(partner, true);
                }
                changed = true;
            }
        }
        Map<String, Cell> rows = new LinkedHashMap<>();
        for (String k : keys) {
            Count c = counts.get(k);
            rows.put(k, cell(residentsOut.get(k) ? null : c.residents(), holdersOut.get(k) ? null : c.holders()));
        }
        return new Table(rows, cell(totalResidentsOut ? null : totalResidents, totalHoldersOut ? null : totalHolders));
    }

    private static boolean single(Map<String, Boolean> withheld) {
        return withheld.values().stream().filter(b -> b).count() == 1;
    }

    private static String smallestPublished(List<String> keys, Map<String, Boolean> withheld, java.util.function.ToLongFunction<String> size) {
        return keys.stream().filter(k -> !withheld.get(k)).min(Comparator.comparingLong(size)).orElse(null);
    }

    private static Cell cell(Long residents, Long holders) {
        Long r = residents == null ? null : round(residents);
        Long h = holders == null ? null : round(holders);
        Double share = r == null || h == null || r == 0 ? null : Math.round(h * 10_000.0 / r) / 10_000.0;
        return new Cell(r, h, share, residents == null || holders == null);
    }

    /** To the nearest multiple of BASE, halves up. */
    static long round(long n) {
        return Math.floorDiv(n + BASE / 2, BASE) * BASE;
    }
}
