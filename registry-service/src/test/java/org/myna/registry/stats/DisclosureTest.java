package org.myna.registry.stats;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The statistics' disclosure control, attacked by subtraction on columns, rows and totals. */
class DisclosureTest {

    static Map<String, Disclosure.Count> table(long... residentsAndHolders) {
        Map<String, Disclosure.Count> t = new LinkedHashMap<>();
        for (int i = 0; i < residentsAndHolders.length; i += 2) {
            t.put("row" + i / 2, new Disclosure.Count(residentsAndHolders[i], residentsAndHolders[i + 1]));
        }
        return t;
    }

    @Test
    void aCellUnderTenIsWithheldAndTheTotalMinusThePublishedCellsDoesNotGiveItBack() {
        // row1 has 4 residents: without protection, total (223) - 103 - 57 - 59 = 4.
        Map<String, Disclosure.Count> counts = table(103, 80, 4, 2, 57, 30, 59, 31);
        Disclosure.Table t = Disclosure.protect(counts);
        assertThat(t.rows().get("row1").residents()).isNull();
        assertThat(t.rows().get("row1").suppressed()).isTrue();
        // A second cell is withheld with it (the smallest other one), so the difference is a sum of two unknowns...
        assertThat(t.rows().values().stream().filter(c -> c.residents() == null).count()).isEqualTo(2);
        long attack = t.total().residents() - t.rows().values().stream().filter(c -> c.residents() != null).mapToLong(Disclosure.Cell::residents).sum();
        assertThat(attack).isNotEqualTo(4);
        // ...and the holders column too (row1's holders, 2, and a partner).
        long holdersAttack = t.total().activeCardHolders() - t.rows().values().stream().filter(c -> c.activeCardHolders() != null)
                .mapToLong(Disclosure.Cell::activeCardHolders).sum();
        assertThat(holdersAttack).isNotEqualTo(2);
        assertThat(t.rows().values().stream().filter(c -> c.activeCardHolders() == null).count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void holdersWhoseComplementIsUnderTenAreWithheldSoResidentsMinusHoldersNamesNoSmallGroup() {
        // row0: 55 residents, 51 holders: publishing both would say "4 people here have no card".
        Disclosure.Table t = Disclosure.protect(table(55, 51, 200, 120, 300, 150));
        assertThat(t.rows().get("row0").residents()).isEqualTo(60L);
        assertThat(t.rows().get("row0").activeCardHolders()).isNull();
        assertThat(t.rows().get("row0").cardHolderShare()).isNull();
        assertThat(t.rows().values().stream().filter(c -> c.activeCardHolders() == null).count()).isEqualTo(2);
    }

    @Test
    void aTableOfOneSmallRowWithholdsItsTotal() {
        Disclosure.Table t = Disclosure.protect(table(7, 3));
        assertThat(t.total().residents()).isNull();
        assertThat(t.total().activeCardHolders()).isNull();
    }

    @Test
    void sharesComeFromTheRoundedFiguresNeverTheTrueOnes() {
        // 23 residents, 13 holders: a share of 0.5652 would give both back exactly; 20 and 10 give 0.5.
        Disclosure.Table t = Disclosure.protect(table(23, 13, 400, 200, 300, 100));
        assertThat(t.rows().get("row0").residents()).isEqualTo(20L);
        assertThat(t.rows().get("row0").activeCardHolders()).isEqualTo(10L);
        assertThat(t.rows().get("row0").cardHolderShare()).isEqualTo(0.5);
    }

    /**
     * Any table: no published count under ten people or off the rounding base; a column or total with a withheld cell
     * always has at least two withheld (or its total withheld), so no single withheld cell is a total minus the rest.
     */
    @Property(tries = 300)
    void noWithheldCellIsAloneInItsColumn(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 400) Integer> residents,
                                          @ForAll @Size(min = 12, max = 12) List<@IntRange(min = 0, max = 100) Integer> holderPercent) {
        Map<String, Disclosure.Count> counts = new LinkedHashMap<>();
        for (int i = 0; i < residents.size(); i++) {
            long r = residents.get(i);
            counts.put("p" + i, new Disclosure.Count(r, r * holderPercent.get(i) / 100));
        }
        Disclosure.Table t = Disclosure.protect(counts);
        for (var e : t.rows().entrySet()) {
            Disclosure.Count truth = counts.get(e.getKey());
            Disclosure.Cell cell = e.getValue();
            if (cell.residents() != null) {
                assertThat(truth.residents()).isGreaterThanOrEqualTo(Disclosure.MINIMUM);
                assertThat(cell.residents() % Disclosure.BASE).isZero();
            }
            if (cell.activeCardHolders() != null) {
                assertThat(truth.holders()).isGreaterThanOrEqualTo(Disclosure.MINIMUM);
                assertThat(truth.residents() - truth.holders()).isGreaterThanOrEqualTo(Disclosure.MINIMUM);
                assertThat(cell.activeCardHolders() % Disclosure.BASE).isZero();
            }
        }
        alone(t, Disclosure.Cell::residents, t.total().residents());
        alone(t, Disclosure.Cell::activeCardHolders, t.total().activeCardHolders());
    }

    private static void alone(Disclosure.Table t, Function<Disclosure.Cell, Long> column, Long total) {
        List<Long> values = new ArrayList<>();
        t.rows().values().forEach(c -> values.add(column.apply(c)));
        long withheld = values.stream().filter(v -> v == null).count();
        if (total != null) {
            assertThat(withheld).as("withheld cells in a column whose total is published").isNotEqualTo(1);
        }
    }

    @Test
    void roundsToTheNearestMultipleOfTheBase() {
        assertThat(Disclosure.round(14)).isEqualTo(10);
        assertThat(Disclosure.round(15)).isEqualTo(20);
        assertThat(Disclosure.round(92_990_004)).isEqualTo(92_990_000);
    }
}
