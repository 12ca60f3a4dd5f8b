package org.myna.registry.stats;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.myna.registry.card.Card;
import org.myna.registry.resident.Resident;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * GET /api/stats against the true counts in the database (whatever other tests registered): residents and active card
 * holders by prefecture and age band, no figure for fewer than ten people, none recomputable by subtraction.
 */
@QuarkusTest
class StatsResourceTest {

    @Inject
    EntityManager em;

    @Test
    void publishesAdoptionByPrefectureAndAgeBandWithoutAnyFigureUnderTenOrRecomputableBySubtraction() {
        // A prefecture with three residents (one holding an active card) and a band of very old residents.
        for (int i = 0; i < 3; i++) {
            Map<String, Object> body = Residents.body("山田", "花子", "ヤマダ", "ハナコ", i == 0 ? "1920-01-01" : "1990-04-01");
            ((Map<String, Object>) body.get("address")).put("prefecture", "鳥取県");
            String number = Residents.register(body);
            if (i == 0) {
                CardFlow.activeCardFor(number);
            }
        }
        for (int i = 0; i < 12; i++) {
            Residents.register(Residents.sample());
        }
        JsonPath stats = given().auth().oauth2(Tokens.auditor()).get("/api/stats").then().statusCode(200)
                .body("nationalPopulation", equalTo(125700000))
                .body("disclosure.minimumCell", equalTo(10))
                .extract().jsonPath();

        Map<String, long[]> byPrefecture = new HashMap<>();
        Map<String, long[]> byAge = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> {
            Set<Long> holders = new HashSet<>(em.createQuery("select c.activeResidentId from Card c where c.activeResidentId is not null", Long.class)
                    .getResultList());
            LocalDate today = LocalDate.now(StatsService.JAPAN);
            for (Resident r : em.createQuery("from Resident r where r.status = 'active'", Resident.class).getResultList()) {
                long h = holders.contains(r.id) ? 1 : 0;
                add(byPrefecture, r.prefecture, h);
                add(byAge, StatsService.band(r.dateOfBirth, today), h);
            }
        });
        StatsService.AGE_BANDS.forEach(b -> byAge.putIfAbsent(b, new long[2]));
        assertThat(byPrefecture.get("鳥取県")[0]).isGreaterThanOrEqualTo(3);

        check(stats, "byPrefecture", byPrefecture);
        check(stats, "byAgeBand", byAge);
        if (byPrefecture.get("鳥取県")[0] < 10) {
            assertThat(stats.<Object>get("byPrefecture.鳥取県.residents")).isNull();
            assertThat(stats.getBoolean("byPrefecture.鳥取県.suppressed")).isTrue();
        }
    }

    private static void add(Map<String, long[]> table, String key, long holder) {
        long[] n = table.computeIfAbsent(key, k -> new long[2]);
        n[0]++;
        n[1] += holder;
    }

    /** Every published cell: ten people or more, on the rounding base; each column with a withheld cell has two or more. */
    @SuppressWarnings("unchecked")
    private static void check(JsonPath stats, String table, Map<String, long[]> truth) {
        Map<String, Map<String, Object>> published = stats.getMap(table);
        assertThat(published.keySet()).containsExactlyInAnyOrderElementsOf(truth.keySet());
        for (var e : published.entrySet()) {
            long[] t = truth.get(e.getKey());
            Number residents = (Number) e.getValue().get("residents");
            Number holders = (Number) e.getValue().get("activeCardHolders");
            if (residents != null) {
                assertThat(t[0]).as("%s %s residents", table, e.getKey()).isGreaterThanOrEqualTo(10);
                assertThat(residents.longValue() % 10).isZero();
            } else {
                assertThat(holders).isNull();
            }
            if (holders != null) {
                assertThat(t[1]).isGreaterThanOrEqualTo(10);
                assertThat(t[0] - t[1]).isGreaterThanOrEqualTo(10);
                assertThat(holders.longValue() % 10).isZero();
            }
            if (t[0] < 10) {
                assertThat(residents).isNull();
            }
        }
        for (String column : List.of("residents", "activeCardHolders")) {
            long withheld = published.values().stream().filter(c -> c.get(column) == null).count();
            Number total = stats.get(column);
            if (total != null) {
                // One withheld cell would be the total minus the published ones.
                assertThat(withheld).as("%s.%s withheld cells beside a published total", table, column).isNotEqualTo(1);
                assertThat(total.longValue() % 10).isZero();
            }
        }
    }

    @Test
    void onlyAuditorsReadTheStatisticsAndRefusalsAreProblems() {
        given().auth().oauth2(Tokens.clerk()).get("/api/stats").then().statusCode(403)
                .contentType("application/problem+json");
        given().get("/api/stats").then().statusCode(401).contentType("application/problem+json");
    }
}
