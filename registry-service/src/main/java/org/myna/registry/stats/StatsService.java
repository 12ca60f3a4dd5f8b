package org.myna.registry.stats;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.myna.registry.config.RegistryConfig;

import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adoption statistics (the government's "92.99 M card holders = 73.9 %"): living, registered residents and those with an
 * active card, by prefecture and by ten-year age band, each table under {@link Disclosure}.
 */
@ApplicationScoped
public class StatsService {

    static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
    static final List<String> AGE_BANDS = List.of("0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90+");

    private final EntityManager em;
    private final RegistryConfig config;

    public StatsService(EntityManager em, RegistryConfig config) {
        this.em = em;
        this.config = config;
    }

    public record DisclosureRule(int minimumCell, int roundingBase, String method) {
    }

    public record Stats(DisclosureRule disclosure, Long residents, Long activeCardHolders, Double cardHolderShare,
                        long nationalPopulation, Double shareOfNationalPopulation,
                        Map<String, Disclosure.Cell> byPrefecture, Map<String, Disclosure.Cell> byAgeBand) {
    }

    @Transactional
    public Stats stats() {
        // One row per prefecture and per date of birth; at most one active card per resident (uq_card_active_resident).
        Map<String, Disclosure.Count> byPrefecture = new LinkedHashMap<>();
        for (Object[] row : em.createQuery("select r.prefecture, count(r), count(c) from Resident r left join Card c on c.activeResidentId = r.id "
                + "where r.status = 'active' group by r.prefecture order by r.prefecture", Object[].class).getResultList()) {
            byPrefecture.put((String) row[0], new Disclosure.Count((Long) row[1], (Long) row[2]));
        }
        LocalDate today = LocalDate.now(JAPAN);
        Map<String, long[]> ages = new LinkedHashMap<>();
        AGE_BANDS.forEach(b -> ages.put(b, new long[2]));
        for (Object[] row : em.createQuery("select r.dateOfBirth, count(r), count(c) from Resident r left join Card c on c.activeResidentId = r.id "
                + "where r.status = 'active' group by r.dateOfBirth", Object[].class).getResultList()) {
            long[] band = ages.get(band((LocalDate) row[0], today));
            band[0] += (Long) row[1];
            band[1] += (Long) row[2];
        }
        Map<String, Disclosure.Count> byAge = new LinkedHashMap<>();
        ages.forEach((band, n) -> byAge.put(band, new Disclosure.Count(n[0], n[1])));

        Disclosure.Table prefectures = Disclosure.protect(byPrefecture);
        Disclosure.Table ageBands = Disclosure.protect(byAge);
        // Both tables share the grand total; the prefecture table's protection decides it (the stricter of the two).
        Disclosure.Cell total = stricter(prefectures.total(), ageBands.total());
        long population = config.stats().nationalPopulation();
        Double shareOfPopulation = total.residents() == null || population == 0 ? null
                : Math.round(total.residents() * 1_000_000.0 / population) / 1_000_000.0;
        return new Stats(new DisclosureRule(Disclosure.MINIMUM, Disclosure.BASE,
                "cells under " + Disclosure.MINIMUM + " people withheld (null), with complementary suppression; published counts "
                        + "and totals rounded to a multiple of " + Disclosure.BASE + "; shares from the rounded counts"),
                total.residents(), total.activeCardHolders(), total.cardHolderShare(), population, shareOfPopulation,
                prefectures.rows(), ageBands.rows());
    }

    private static Disclosure.Cell stricter(Disclosure.Cell a, Disclosure.Cell b) {
        return new Disclosure.Cell(a.residents() == null || b.residents() == null ? null : a.residents(),
                a.activeCardHolders() == null || b.activeCardHolders() == null ? null : a.activeCardHolders(),
                a.cardHolderShare() == null || b.cardHolderShare() == null ? null : a.cardHolderShare(),
                a.suppressed() || b.suppressed());
    }

    static String band(LocalDate birth, LocalDate today) {
        int age = Math.max(0, Period.between(birth, today).getYears());
        return age >= 90 ? "90+" : AGE_BANDS.get(age / 10);
    }
}
