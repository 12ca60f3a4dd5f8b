package org.myna.wallet.application;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.myna.wallet.support.Wallet.PROVIDER;

/** Many requests, one outcome: races are settled by the database, under a bounded time. */
@QuarkusTest
class ConcurrencyTest {

    static Map<Integer, Integer> race(int threads, List<Callable<Response>> calls, Map<String, Integer> codes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (Callable<Response> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            // Bounded: the whole race must finish within 30 s on a shared, slow machine.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            start.countDown();
            Map<Integer, Integer> statuses = new HashMap<>();
            for (Future<Response> f : futures) {
                Response r = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                statuses.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() >= 400) {
                    codes.merge(r.jsonPath().getString("code"), 1, Integer::sum);
                }
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoHundredConcurrentApplicationsByOnePersonGrantOnce() throws Exception {
        String campaign = Wallet.campaign(10_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String token = Tokens.operation(resident, "apply-points");
            calls.add(() -> Wallet.post(token, "/api/applications", Map.of("rule", "insurance-link", "campaign", campaign)));
        }
        Map<String, Integer> codes = new HashMap<>();
        Map<Integer, Integer> statuses = race(32, calls, codes);

        assertThat(statuses.get(201)).isEqualTo(1);
        assertThat(statuses.keySet()).allMatch(s -> s == 201 || s == 409);
        assertThat(codes.keySet()).containsOnly("already-granted");
        assertThat(Wallet.balance(resident, campaign)).isEqualTo(7500);
        Map<String, Object> report = given().auth().oauth2(Tokens.auditor()).get("/api/campaigns/" + campaign + "/report")
                .then().statusCode(200).extract().jsonPath().getMap("");
        assertThat(((Number) report.get("granted")).longValue()).isEqualTo(7500);
        assertThat(((Number) report.get("people")).longValue()).isEqualTo(1);
    }

    @Test
    void residentsRacingForTheLastOfATinyBudgetNeverOvershootIt() throws Exception {
        long budget = 7500 * 5 + 7499;   // room for exactly five grants
        String campaign = Wallet.campaign(budget, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        List<String> residents = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String r = Tokens.linkCode();
            Wallet.choose(r, campaign, service);
            residents.add(r);
        }
        List<Callable<Response>> calls = new ArrayList<>();
        for (String r : residents) {
            String token = Tokens.operation(r, "apply-points");
            calls.add(() -> Wallet.post(token, "/api/applications", Map.of("rule", "public-fund-account", "campaign", campaign)));
        }
        Map<String, Integer> codes = new HashMap<>();
        Map<Integer, Integer> statuses = race(32, calls, codes);

        assertThat(statuses.get(201)).isEqualTo(5);
        assertThat(codes).containsOnlyKeys("budget-exhausted");
        assertThat(codes.get("budget-exhausted")).isEqualTo(35);
        long total = residents.stream().mapToLong(r -> Wallet.balance(r, campaign)).sum();
        assertThat(total).isEqualTo(5 * 7500).isLessThanOrEqualTo(budget);
        Map<String, Object> report = given().auth().oauth2(Tokens.auditor()).get("/api/campaigns/" + campaign + "/report")
                .then().statusCode(200).extract().jsonPath().getMap("");
        assertThat(((Number) report.get("granted")).longValue()).isEqualTo(5 * 7500);
        assertThat(((Number) report.get("remaining")).longValue()).isEqualTo(7499);
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }

    @Test
    void concurrentChargesForOnePersonStopExactlyAtTheCap() throws Exception {
        String campaign = Wallet.campaign(10_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        String account = Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        Wallet.apply(resident, campaign, "card-acquisition").then().statusCode(201);
        String provider = Tokens.payment(PROVIDER);
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            calls.add(() -> Wallet.post(provider, "/api/charges", Map.of("paymentAccount", account, "amount", 1_000, "campaign", campaign)));
        }
        Map<String, Integer> codes = new HashMap<>();
        Map<Integer, Integer> statuses = race(16, calls, codes);
        assertThat(statuses).containsOnlyKeys(201);
        assertThat(Wallet.balance(resident, campaign)).isEqualTo(5000);
    }

    @Test
    void concurrentRedemptionsNeverOverdraw() throws Exception {
        String campaign = Wallet.campaign(10_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        String account = Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        Wallet.apply(resident, campaign, "insurance-link").then().statusCode(201);
        String merchant = Wallet.merchant(PROVIDER);
        String provider = Tokens.payment(PROVIDER);
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(() -> Wallet.post(provider, "/api/redemptions",
                    Map.of("paymentAccount", account, "merchantCorporateNumber", merchant, "amount", 1_000, "campaign", campaign)));
        }
        Map<String, Integer> codes = new HashMap<>();
        Map<Integer, Integer> statuses = race(16, calls, codes);
        assertThat(statuses.get(201)).isEqualTo(7);
        assertThat(codes).containsOnlyKeys("insufficient-balance");
        assertThat(Wallet.balance(resident, campaign)).isEqualTo(500);
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }

    /**
     * Charges (which write the campaign's budget rows) and redemptions (which write the merchant's account) of many
     * people at once, racing for the last of the budget: the shared rows are written last in every transfer, in one
     * order, so no interleaving deadlocks, and the budget is spent to the point and not beyond.
     */
    @Test
    void chargesAndRedemptionsOfManyPeopleInterleaveWithoutDeadlockOrOvershoot() throws Exception {
        int people = 10;
        long budget = 7500L * people + 3000;   // the fixed grants, then room for exactly twelve charge-backs of 250
        String campaign = Wallet.campaign(budget, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String merchant = Wallet.merchant(PROVIDER);
        String provider = Tokens.payment(PROVIDER);
        List<String> residents = new ArrayList<>();
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < people; i++) {
            String resident = Tokens.linkCode();
            String account = Wallet.choose(resident, campaign, service);
            Wallet.apply(resident, campaign, "insurance-link").then().statusCode(201);
            Wallet.apply(resident, campaign, "card-acquisition").then().statusCode(201);
            residents.add(resident);
            for (int c = 0; c < 6; c++) {
                calls.add(() -> Wallet.post(provider, "/api/charges", Map.of("paymentAccount", account, "amount", 1_000, "campaign", campaign)));
                calls.add(() -> Wallet.post(provider, "/api/redemptions",
                        Map.of("paymentAccount", account, "merchantCorporateNumber", merchant, "amount", 1_000, "campaign", campaign)));
            }
        }
        Map<String, Integer> codes = new HashMap<>();
        Map<Integer, Integer> statuses = race(32, calls, codes);

        assertThat(statuses).containsOnlyKeys(201, 409);
        assertThat(codes).containsOnlyKeys("budget-exhausted");
        assertThat(statuses.get(201)).isEqualTo(people * 6 + 12);   // every redemption, twelve charges
        assertThat(codes.get("budget-exhausted")).isEqualTo(people * 6 - 12);
        long balances = residents.stream().mapToLong(r -> Wallet.balance(r, campaign)).sum();
        assertThat(balances).isEqualTo(budget - 1_000L * people * 6);
        Map<String, Object> report = given().auth().oauth2(Tokens.auditor()).get("/api/campaigns/" + campaign + "/report")
                .then().statusCode(200).extract().jsonPath().getMap("");
        assertThat(((Number) report.get("granted")).longValue()).isEqualTo(budget);
        assertThat(((Number) report.get("remaining")).longValue()).isZero();
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }
}
