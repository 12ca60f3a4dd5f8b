package org.myna.wallet.ledger;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.myna.wallet.support.Wallet.PROVIDER;

/**
 * Random sequences of applications, charges, redemptions and corrections (generated with jqwik's arbitraries) run
 * against the real service. After every step the trial balance must hold (Σ debits = Σ credits = Σ transfers,
 * Σ balances = 0, no balance below zero, granted ≤ budget), and each response must be what a plain in-memory model
 * of the rules predicts; at the end every balance equals the model's.
 */
@QuarkusTest
class LedgerPropertyTest {

    static final int RESIDENTS = 4;
    static final List<String> RULES = List.of("card-acquisition", "insurance-link", "public-fund-account");

    sealed interface Action permits Apply, Charge, Redeem, Correct {
    }

    record Apply(int resident, String rule) implements Action {
    }

    record Charge(int resident, long amount) implements Action {
    }

    record Redeem(int resident, long amount) implements Action {
    }

    record Correct(int pick) implements Action {
    }

    static Arbitrary<Action> actions() {
        Arbitrary<Integer> resident = Arbitraries.integers().between(0, RESIDENTS - 1);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Combinators.combine(resident, Arbitraries.of(RULES)).as(Apply::new)),
                net.jqwik.api.Tuple.of(4, Combinators.combine(resident, Arbitraries.longs().between(1, 12_000)).as(Charge::new)),
                net.jqwik.api.Tuple.of(3, Combinators.combine(resident, Arbitraries.longs().between(1, 9_000)).as(Redeem::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 1000).map(Correct::new)));
    }

    /** The rules, restated without a database. */
    static final class Model {
        long budgetLeft;
        final long[] balance = new long[RESIDENTS];
        final long[] cardTotal = new long[RESIDENTS];
        long merchant;
        final Set<String> applied = new HashSet<>();
        /** Transfers that may still be reversed: id → (resident, amount, toResident). */
        final Map<Long, long[]> reversible = new HashMap<>();

        Model(long budget) {
            budgetLeft = budget;
        }
    }

    @Test
    void randomSequencesKeepTheLedgerBalancedAndMatchTheModel() {
        List<List<Action>> sequences = actions().list().ofSize(24).sampleStream().limit(4).toList();
        for (List<Action> sequence : sequences) {
            run(sequence);
        }
    }

    void run(List<Action> sequence) {
        long budget = 40_000;
        String campaign = Wallet.campaign(budget, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String merchant = Wallet.merchant(PROVIDER);
        String provider = Tokens.payment(PROVIDER);
        String[] residents = new String[RESIDENTS];
        String[] accounts = new String[RESIDENTS];
        for (int i = 0; i < RESIDENTS; i++) {
            residents[i] = Tokens.linkCode();
            accounts[i] = Wallet.choose(residents[i], campaign, service);
        }
        Model m = new Model(budget);
        List<Action> done = new ArrayList<>();
        for (Action action : sequence) {
            done.add(action);
            String where = "after " + done;
            if (action instanceof Apply a) {
                Response r = Wallet.apply(residents[a.resident()], campaign, a.rule());
                String key = a.resident() + a.rule();
                if (m.applied.contains(key)) {
                    expect(r, 409, "already-granted", where);
                } else if (a.rule().equals("card-acquisition")) {
                    expect(r, 201, null, where);
                    m.applied.add(key);
                } else if (m.budgetLeft >= 7500) {
                    expect(r, 201, null, where);
                    m.applied.add(key);
                    m.budgetLeft -= 7500;
                    m.balance[a.resident()] += 7500;
                    m.reversible.put(r.jsonPath().getLong("transferId"), new long[]{a.resident(), 7500, 1});
                } else {
                    expect(r, 409, "budget-exhausted", where);
                }
            } else if (action instanceof Charge c) {
                Response r = Wallet.post(provider, "/api/charges",
                        Map.of("paymentAccount", accounts[c.resident()], "amount", c.amount(), "campaign", campaign));
                long points = Math.min(c.amount() * 25 / 100, 5000 - m.cardTotal[c.resident()]);
                if (!m.applied.contains(c.resident() + "card-acquisition")) {
                    expect(r, 422, "not-applied", where);
                } else if (points == 0 || m.budgetLeft >= points) {
                    expect(r, 201, null, where);
                    assertThat(r.jsonPath().getLong("pointsGranted")).as(where).isEqualTo(points);
                    m.cardTotal[c.resident()] += points;
                    m.budgetLeft -= points;
                    m.balance[c.resident()] += points;
                    if (points > 0) {
                        m.reversible.put(r.jsonPath().getLong("transferId"), new long[]{c.resident(), points, 1});
                    }
                } else {
                    expect(r, 409, "budget-exhausted", where);
                }
            } else if (action instanceof Redeem d) {
                Response r = Wallet.post(provider, "/api/redemptions", Map.of("paymentAccount", accounts[d.resident()],
                        "merchantCorporateNumber", merchant, "amount", d.amount(), "campaign", campaign));
                if (m.balance[d.resident()] >= d.amount()) {
                    expect(r, 201, null, where);
                    m.balance[d.resident()] -= d.amount();
                    m.merchant += d.amount();
                    m.reversible.put(r.jsonPath().getLong("transferId"), new long[]{d.resident(), d.amount(), 0});
                } else {
                    expect(r, 409, "insufficient-balance", where);
                }
            } else if (action instanceof Correct k) {
                if (m.reversible.isEmpty()) {
                    continue;
                }
                List<Long> ids = new ArrayList<>(m.reversible.keySet());
                ids.sort(Long::compare);
                long transferId = ids.get(k.pick() % ids.size());
                long[] t = m.reversible.remove(transferId);
                long id = Wallet.post(Tokens.auditor(), "/api/corrections", Map.of("transferId", transferId, "reason", "property test"))
                        .then().statusCode(201).extract().jsonPath().getLong("id");
                Response r = Wallet.post(Tokens.secondAuditor(), "/api/corrections/" + id + "/approval", Map.of());
                int resident = (int) t[0];
                if (t[2] == 1) {
                    // Reversing points received: the resident must still hold them.
                    if (m.balance[resident] >= t[1]) {
                        expect(r, 200, null, where);
                        m.balance[resident] -= t[1];
                        m.budgetLeft += t[1];
                    } else {
                        expect(r, 409, "insufficient-balance", where);
                    }
                } else {
                    expect(r, 200, null, where);
                    m.merchant -= t[1];
                    m.balance[resident] += t[1];
                }
            }
            Map<String, Object> tb = Wallet.trialBalance();
            assertThat(tb.get("equal")).as("trial balance " + tb + " " + where).isEqualTo(true);
            assertThat(((Number) tb.get("negativeBalances")).longValue()).as(where).isZero();
        }
        for (int i = 0; i < RESIDENTS; i++) {
            assertThat(Wallet.balance(residents[i], campaign)).as("resident " + i + " after " + sequence).isEqualTo(m.balance[i]);
        }
        long granted = given().auth().oauth2(Tokens.auditor()).get("/api/campaigns/" + campaign + "/report")
                .then().statusCode(200).extract().jsonPath().getLong("granted");
        assertThat(granted).isEqualTo(budget - m.budgetLeft).isLessThanOrEqualTo(budget);
    }

    static void expect(Response r, int status, String code, String where) {
        assertThat(r.statusCode()).as(where + " → " + r.asString()).isEqualTo(status);
        if (code != null) {
            assertThat(r.jsonPath().getString("code")).as(where).isEqualTo(code);
        }
    }
}
