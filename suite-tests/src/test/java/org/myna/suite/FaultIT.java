package org.myna.suite;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myna.card.Card;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * DESIGN 6.10 and 6.5 tried for real: services killed with kill -9 in the middle of work and started again on the
 * same port and data, the registry gone while a clinic and a resident need it. Every test that kills a service
 * restarts it in a finally block, so the other ITs of this JVM find the suite whole.
 */
class FaultIT {

    // A JVM start takes 10-20 s on an idle machine and minutes on a busy shared one.
    static final Duration RESTART = Duration.ofMinutes(4);

    static Suite suite;
    static Api api;

    @BeforeAll
    static void start() {
        suite = Suite.get();
        api = new Api(suite);
    }

    /** One resident of a fault test: the registry's number, the card in their hand, their attributes. */
    record Person(int index, String number, Card card, Map<String, Object> attributes, String account, boolean insured) {
    }

    /** What one Idempotency-Key finally answered, after however many attempts. */
    record Outcome(String key, String what, int status, String body, int attempts) {
    }

    static Map<String, Object> authorization(String account, String merchant, String campaign) {
        return Map.of("paymentAccount", account, "merchantCorporateNumber", merchant, "amount", 1_000, "validForSeconds", 5,
                "campaign", campaign);
    }

    static Map<String, Object> attributes(String family, String given, String familyKana, String givenKana) {
        Map<String, Object> resident = new LinkedHashMap<>();
        resident.put("familyName", family);
        resident.put("givenName", given);
        resident.put("familyNameKana", familyKana);
        resident.put("givenNameKana", givenKana);
        resident.put("dateOfBirth", "19" + (50 + Integer.parseInt(Api.digits(1)) * 4) + "-0" + (1 + Integer.parseInt(Api.digits(1)) % 9) + "-1" + Api.digits(1));
        resident.put("sex", Integer.parseInt(Api.digits(1)) % 2 == 0 ? "female" : "male");
        resident.put("address", JourneyIT.address());
        return resident;
    }

    /**
     * A client keeping one Idempotency-Key across retries: a connection error (the process is gone), a 503 (the
     * service is not ready or a dependency is down) or a 409 request-in-progress means "try again with the same
     * key"; anything else is the answer.
     */
    static Outcome untilAnswered(String key, String what, Supplier<Response> attempt, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        int attempts = 0;
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            attempts++;
            try {
                Response r = attempt.get();
                boolean retry = r.statusCode() == 503 || r.statusCode() == 502
                        || (r.statusCode() == 409 && "request-in-progress".equals(code(r)));
                if (!retry) {
                    return new Outcome(key, what, r.statusCode(), r.asString(), attempts);
                }
                last = r.statusCode() + " " + r.asString();
            } catch (Exception connectionLost) {
                last = connectionLost.getClass().getSimpleName() + ": " + connectionLost.getMessage();
            }
            sleep(250);
        }
        throw new AssertionError(what + " (key " + key + ") got no answer within " + within + " after " + attempts + " attempts; last: " + last);
    }

    static String code(Response r) {
        try {
            return r.path("code");
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static <T> List<T> inParallel(int threads, List<Supplier<T>> tasks, Duration within) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Supplier<T> task : tasks) {
                futures.add(pool.submit(task::get));
            }
            long deadline = System.nanoTime() + within.toNanos();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. The wallet killed three times while a campaign's residents apply and their charges come in.

    @Test
    void walletKilledThreeTimesDuringACampaignLosesAndDoublesNoGrant() throws Exception {
        int residents = 12;
        String campaign = api.campaign("fault-" + Api.digits(8), 100_000_000L);
        String insurer = api.insurer("障害試験健保");
        String paymentService = api.paymentService("障害ペイ");
        String merchant = Api.corporateNumber(Api.digits(12));
        api.idempotent(api.as(api.wallet(), "demo-payment")).body(Map.of("corporateNumber", merchant, "name", "障害商店"))
                .post("/api/merchants").then().statusCode(201);

        List<Supplier<Person>> setup = new ArrayList<>();
        for (int i = 0; i < residents; i++) {
            int index = i;
            setup.add(() -> {
                Map<String, Object> attributes = attributes("耐障", "太郎" + "一二三四五六七八九十"
                        .charAt(index % 10), "タイショウ", "タロウ");
                String number = api.register(attributes);
                Card card = Card.create(null, Api.PIN, Api.PASSWORD);
                api.issueAndActivate(number, card);
                boolean insured = index % 2 == 0;
                if (insured) {
                    api.enrolLinked(insurer, number, attributes);
                }
                String account = "fault-" + Api.digits(10);
                api.choosePaymentService(card, paymentService, account, campaign, "タイショウ タロウ");
                api.registerPublicFundAccount(card, "タイショウ タロウ");
                return new Person(index, number, card, attributes, account, insured);
            });
        }
        List<Person> people = inParallel(3, setup, Duration.ofMinutes(8));

        // The campaign: each resident applies under every rule they qualify for, then three charges of 8,000 yen
        // earn 25 % back up to the 5,000 cap (2,000 + 2,000 + 1,000). Meanwhile the wallet is killed three times.
        AtomicInteger answered = new AtomicInteger();
        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        List<Supplier<List<Outcome>>> campaignWork = new ArrayList<>();
        for (Person p : people) {
            campaignWork.add(() -> {
                List<Outcome> mine = new ArrayList<>();
                List<String> rules = new ArrayList<>(List.of("card-acquisition", "public-fund-account"));
                if (p.insured()) {
                    rules.add("insurance-link");
                }
                for (String rule : rules) {
                    String key = "apply-" + UUID.randomUUID();
                    mine.add(untilAnswered(key, "resident " + p.index() + " applies for " + rule,
                            () -> api.wallet().header("Idempotency-Key", key)
                                    .auth().oauth2(api.operationToken(p.card(), "apply-points", "wallet"))
                                    .contentType(ContentType.JSON).body(Map.of("rule", rule, "campaign", campaign))
                                    .post("/api/applications"), RESTART.plusMinutes(1)));
                    answered.incrementAndGet();
                }
                for (int c = 0; c < 3; c++) {
                    String key = "charge-" + UUID.randomUUID();
                    mine.add(untilAnswered(key, "charge " + c + " of resident " + p.index(),
                            () -> api.wallet().header("Idempotency-Key", key).auth().oauth2(api.token("demo-payment"))
                                    .contentType(ContentType.JSON)
                                    .body(Map.of("paymentAccount", p.account(), "amount", 8_000, "campaign", campaign))
                                    .post("/api/charges"), RESTART.plusMinutes(1)));
                    answered.incrementAndGet();
                }
                // A two-phase redemption's hold, pending across the kills: acknowledged, it must survive them and then
                // expire by itself (5 s), its points back.
                String key = "auth-" + UUID.randomUUID();
                mine.add(untilAnswered(key, "authorization of resident " + p.index(),
                        () -> api.wallet().header("Idempotency-Key", key).auth().oauth2(api.token("demo-payment"))
                                .contentType(ContentType.JSON).body(authorization(p.account(), merchant, campaign))
                                .post("/api/authorizations"), RESTART.plusMinutes(1)));
                answered.incrementAndGet();
                mine.forEach(o -> outcomes.put(o.key(), o));
                return mine;
            });
        }
        int total = people.stream().mapToInt(p -> p.insured() ? 7 : 6).sum();
        List<Integer> answeredAtKill = new ArrayList<>();
        ExecutorService killer = Executors.newSingleThreadExecutor();
        Future<?> kills = killer.submit(() -> {
            try {
                for (int k = 0; k < 3; k++) {
                    int before = answered.get();
                    // Let some work through the freshly started wallet, then pull the plug mid-stream.
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> answered.get() >= before + 3);
                    answeredAtKill.add(answered.get());
                    suite.wallet.restart(RESTART);
                }
            } finally {
                if (!suite.wallet.isAlive()) {
                    suite.wallet.restart(RESTART);
                }
            }
            return null;
        });
        List<List<Outcome>> results;
        try {
            results = inParallel(4, campaignWork, RESTART.multipliedBy(4));
            kills.get(RESTART.multipliedBy(4).toMinutes(), TimeUnit.MINUTES);
        } finally {
            killer.shutdownNow();
            if (!suite.wallet.isAlive()) {
                suite.wallet.restart(RESTART);
            }
        }

        // The kills landed in the middle of the campaign, not after it.
        assertThat(answeredAtKill).hasSize(3).allMatch(n -> n < total);
        List<Outcome> all = results.stream().flatMap(List::stream).toList();
        assertThat(all).hasSize(total);
        assertThat(all).allSatisfy(o -> assertThat(o.status()).as(o.what() + ": " + o.body()).isEqualTo(201));

        // Every key, asked again, gives the first answer, byte for byte.
        String provider = api.token("demo-payment");
        Map<Integer, Person> byIndex = new LinkedHashMap<>();
        people.forEach(p -> byIndex.put(p.index(), p));
        for (Outcome o : all) {
            Response replay;
            if (o.key().startsWith("apply-")) {
                Person p = byIndex.get(Integer.parseInt(o.what().replaceAll("resident (\\d+) .*", "$1")));
                String rule = o.what().replaceAll(".* applies for ", "");
                replay = api.wallet().header("Idempotency-Key", o.key()).auth().oauth2(api.operationToken(p.card(), "apply-points", "wallet"))
                        .contentType(ContentType.JSON).body(Map.of("rule", rule, "campaign", campaign)).post("/api/applications");
            } else if (o.key().startsWith("auth-")) {
                Person p = byIndex.get(Integer.parseInt(o.what().replaceAll(".* of resident (\\d+)", "$1")));
                replay = api.wallet().header("Idempotency-Key", o.key()).auth().oauth2(provider).contentType(ContentType.JSON)
                        .body(authorization(p.account(), merchant, campaign)).post("/api/authorizations");
            } else {
                Person p = byIndex.get(Integer.parseInt(o.what().replaceAll(".* of resident (\\d+)", "$1")));
                replay = api.wallet().header("Idempotency-Key", o.key()).auth().oauth2(provider).contentType(ContentType.JSON)
                        .body(Map.of("paymentAccount", p.account(), "amount", 8_000, "campaign", campaign)).post("/api/charges");
            }
            assertThat(replay.statusCode()).as(o.what()).isEqualTo(o.status());
            assertThat(replay.asString()).as(o.what()).isEqualTo(o.body());
        }

        // Every acknowledged authorisation survived the kills, and each expires by itself: exactly one hold and one release.
        for (Outcome o : all) {
            if (o.key().startsWith("auth-")) {
                long id = io.restassured.path.json.JsonPath.from(o.body()).getLong("id");
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> "expired".equals(
                        api.wallet().auth().oauth2(provider).get("/api/authorizations/" + id).then().statusCode(200)
                                .extract().jsonPath().getString("status")));
            }
        }

        // Each resident holds exactly what they applied for, once per rule, and 5,000 from charges in 2,000/2,000/1,000.
        long expectedTotal = 0;
        for (Person p : people) {
            long expected = 7_500 + (p.insured() ? 7_500 : 0) + 5_000;
            expectedTotal += expected;
            String token = api.walletToken(p.card());
            api.wallet().auth().oauth2(token).queryParam("campaign", campaign).get("/api/me/balance")
                    .then().statusCode(200).body("balance", equalTo((int) expected)).body("received", equalTo((int) expected))
                    .body("held", equalTo(0));
            List<Map<String, Object>> entries = api.wallet().auth().oauth2(token).queryParam("campaign", campaign).get("/api/me/history")
                    .then().statusCode(200).extract().jsonPath().getList("entries");
            List<String> grants = entries.stream().filter(e -> "grant".equals(e.get("kind"))).map(e -> (String) e.get("rule")).sorted().toList();
            assertThat(grants).as("grants of resident " + p.index())
                    .isEqualTo(p.insured() ? List.of("insurance-link", "public-fund-account") : List.of("public-fund-account"));
            List<Integer> chargeBacks = entries.stream().filter(e -> "charge-back".equals(e.get("kind")))
                    .map(e -> ((Number) e.get("amount")).intValue()).sorted().toList();
            assertThat(chargeBacks).as("charge-backs of resident " + p.index()).isEqualTo(List.of(1_000, 2_000, 2_000));
            assertThat(entries.stream().filter(e -> "hold".equals(e.get("kind")) || "release".equals(e.get("kind")))
                    .map(e -> e.get("kind") + " " + e.get("amount")).sorted().toList()).as("holds of resident " + p.index())
                    .isEqualTo(List.of("hold -1000", "release 1000"));
        }
        long insured = people.stream().filter(Person::insured).count();
        Response report = api.as(api.wallet(), "demo-auditor").get("/api/campaigns/" + campaign + "/report");
        report.then().statusCode(200)
                .body("granted", equalTo((int) expectedTotal))
                .body("people", equalTo(residents))
                .body("rules.find { it.rule == 'card-acquisition' }.granted", equalTo(5_000 * residents))
                .body("rules.find { it.rule == 'public-fund-account' }.granted", equalTo(7_500 * residents))
                .body("rules.find { it.rule == 'public-fund-account' }.people", equalTo(residents))
                .body("rules.find { it.rule == 'insurance-link' }.granted", equalTo((int) (7_500 * insured)))
                .body("rules.find { it.rule == 'insurance-link' }.people", equalTo((int) insured));
        List<Map<String, Object>> rules = report.jsonPath().getList("rules");
        assertThat(rules.stream().mapToLong(r -> ((Number) r.get("granted")).longValue()).sum()).isEqualTo(expectedTotal);
        api.as(api.wallet(), "demo-auditor").get("/api/ledger/trial-balance").then().statusCode(200)
                .body("equal", equalTo(true)).body("mismatchedAccounts", equalTo(0)).body("balanceSum", equalTo(0));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. The insurance service killed while the registry's outbox delivers renames, moves and revocations to it.

    @Test
    void insuranceKilledWhileTheOutboxDeliversAppliesEveryEventOnce() throws Exception {
        int residents = 16;
        int withCards = 4;
        String insurer = api.insurer("障害配送健保");
        List<Supplier<Person>> setup = new ArrayList<>();
        Map<Integer, Long> memberIds = new ConcurrentHashMap<>();
        Map<Integer, String> cardIds = new ConcurrentHashMap<>();
        for (int i = 0; i < residents; i++) {
            int index = i;
            setup.add(() -> {
                Map<String, Object> attributes = attributes("配送", "花子", "ハイソウ", "ハナコ");
                String number = api.register(attributes);
                memberIds.put(index, api.enrolLinked(insurer, number, attributes));
                Card card = null;
                if (index < withCards) {
                    card = Card.create(null, Api.PIN, Api.PASSWORD);
                    cardIds.put(index, api.issueAndActivate(number, card).get("cardId"));
                }
                return new Person(index, number, card, attributes, null, true);
            });
        }
        List<Person> people = inParallel(3, setup, Duration.ofMinutes(8));

        // Start from a quiet outbox so that the counts below are this test's alone.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(api.outbox("insurance").get("pending")).isEqualTo(0));
        Map<String, Object> outboxBefore = api.outbox("insurance");
        Map<String, Object> receivedBefore = api.as(api.insurance(), "demo-auditor").get("/api/events/received")
                .then().statusCode(200).extract().jsonPath().getMap("$");

        // The clerks' stream of changes: three rounds of rename / move / rename for every resident, the cards revoked.
        Map<Integer, String> lastChange = new ConcurrentHashMap<>();
        AtomicInteger renames = new AtomicInteger();
        AtomicInteger moves = new AtomicInteger();
        AtomicInteger revocations = new AtomicInteger();
        ExecutorService clerks = Executors.newSingleThreadExecutor();
        Future<?> stream = clerks.submit(() -> {
            String[] kanji = {"一", "二", "三"};
            for (int round = 0; round < 3; round++) {
                for (Person p : people) {
                    Map<String, Object> change;
                    String type;
                    if (round == 1) {
                        Map<String, Object> address = JourneyIT.address();
                        address.put("line", "千代田" + (p.index() + 2) + "-" + (round + 1));
                        change = Map.of("address", address);
                        type = "resident-moved";
                        moves.incrementAndGet();
                    } else {
                        change = Map.of("givenName", "花子" + kanji[round]);
                        type = "resident-renamed";
                        renames.incrementAndGet();
                    }
                    api.as(api.registry(), "demo-clerk").body(withNumber(change, p.number())).post("/api/residents/changes").then().statusCode(200);
                    lastChange.put(p.index(), type);
                }
                if (round == 1) {
                    for (String cardId : cardIds.values()) {
                        api.as(api.registry(), "demo-clerk").body(Map.of("reason", "lost")).post("/api/cards/" + cardId + "/revocation")
                                .then().statusCode(200);
                        revocations.incrementAndGet();
                    }
                }
            }
            return null;
        });
        try {
            // Kill as soon as deliveries are flowing: the dispatcher is mid-batch, some events are applied and
            // maybe not yet acknowledged.
            long deliveredBefore = ((Number) outboxBefore.get("delivered")).longValue();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> ((Number) api.outbox("insurance").get("delivered")).longValue() >= deliveredBefore + 3);
            suite.insurance.kill();
            sleep(3_000);
            suite.insurance.restart(RESTART);
            stream.get(3, TimeUnit.MINUTES);
        } finally {
            clerks.shutdownNow();
            if (!suite.insurance.isAlive()) {
                suite.insurance.restart(RESTART);
            }
        }
        int events = renames.get() + moves.get() + revocations.get();

        // The backlog drains (the dispatcher backs off while the service is down, so give it time) ...
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(api.outbox("insurance").get("pending")).isEqualTo(0));
        Map<String, Object> outboxAfter = api.outbox("insurance");
        Map<String, Object> receivedAfter = api.as(api.insurance(), "demo-auditor").get("/api/events/received")
                .then().statusCode(200).extract().jsonPath().getMap("$");
        // ... every event was delivered (none skipped: every resident is linked) and applied exactly once.
        assertThat(delta(outboxAfter, outboxBefore, "delivered")).isEqualTo(events);
        assertThat(delta(outboxAfter, outboxBefore, "skipped")).isZero();
        assertThat(delta(receivedAfter, receivedBefore, "events")).isEqualTo(events);
        assertThat(delta(receivedAfter, receivedBefore, "membersMarked")).isEqualTo(renames.get() + moves.get());
        assertThat(byType(receivedAfter, "resident-renamed") - byType(receivedBefore, "resident-renamed")).isEqualTo(renames.get());
        assertThat(byType(receivedAfter, "resident-moved") - byType(receivedBefore, "resident-moved")).isEqualTo(moves.get());
        assertThat(byType(receivedAfter, "card-revoked") - byType(receivedBefore, "card-revoked")).isEqualTo(revocations.get());
        // Each member carries the mark of the last change of their resident: events went out in order.
        for (Person p : people) {
            api.as(api.insurance(), "demo-insurer").get("/api/insurers/" + insurer + "/members/" + memberIds.get(p.index()))
                    .then().statusCode(200).body("link.status", equalTo("linked"))
                    .body("link.reverificationReason", equalTo(lastChange.get(p.index())));
        }
    }

    static long delta(Map<String, Object> after, Map<String, Object> before, String field) {
        return ((Number) after.get(field)).longValue() - ((Number) before.get(field)).longValue();
    }

    @SuppressWarnings("unchecked")
    static long byType(Map<String, Object> summary, String type) {
        Object n = ((Map<String, Object>) summary.get("byType")).get(type);
        return n == null ? 0 : ((Number) n).longValue();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. The registry gone: a clinic hears "cannot check now", never "not insured"; the wallet grants nothing.

    @Test
    void registryDownGivesAPrecise503AndWritesNothingWrong() {
        Map<String, Object> attributes = attributes("不在", "登録", "フザイ", "トウロク");
        String number = api.register(attributes);
        Card card = Card.create(null, Api.PIN, Api.PASSWORD);
        api.issueAndActivate(number, card);
        String insurer = api.insurer("不在試験健保");
        api.enrolLinked(insurer, number, attributes);
        api.choosePaymentService(card, api.paymentService("不在ペイ"), "absent-" + Api.digits(8), null, "フザイ トウロク");
        api.eligibilityByCard(card).then().statusCode(200).body("result", equalTo("covered"));

        // Everything that needs the registry to hand out is taken before it goes: tokens, the operation token.
        String facility = api.token("demo-facility");
        String residentWallet = api.walletToken(card);
        String applyToken = api.operationToken(card, "apply-points", "wallet");
        String key = "absent-" + UUID.randomUUID();
        try {
            suite.registry.kill();

            // The clinic: a precise 503 with a reason, not "not insured" and not a bare 500. Within the replica's bound
            // (2 s) the card replica may still answer "covered", which it knows to be current; past it, the registry is
            // needed, and it is gone.
            Response[] last = new Response[1];
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Response challenge = api.insurance().auth().oauth2(facility).header("X-Institution-Code", "1312345678")
                        .post("/api/eligibility/challenges");
                challenge.then().statusCode(201);
                last[0] = api.insurance().auth().oauth2(facility).header("X-Institution-Code", "1312345678").contentType(ContentType.JSON)
                        .body(Map.of("challengeId", challenge.path("challengeId"), "certificate", Api.pem(card.authCertificate().orElseThrow()),
                                "signature", Api.b64(card.signWithAuthKey(Api.PIN, java.util.Base64.getUrlDecoder().decode((String) challenge.path("nonce"))))))
                        .post("/api/eligibility/card-checks");
                assertThat(last[0].statusCode()).as(last[0].asString()).isIn(200, 503);
                if (last[0].statusCode() == 200) {
                    assertThat(last[0].jsonPath().getString("result")).isEqualTo("covered");
                }
                return last[0].statusCode() == 503;
            });
            Response check = last[0];
            check.then().statusCode(503).contentType("application/problem+json").body("code", equalTo("registry-unavailable"));
            assertThat(check.asString()).doesNotContain("not-insured").doesNotContain("not-linked").doesNotContain(number);

            // The resident's application: the same precise 503, the key released for a retry, no points anywhere.
            api.wallet().header("Idempotency-Key", key).auth().oauth2(applyToken).contentType(ContentType.JSON)
                    .body(Map.of("rule", "insurance-link")).post("/api/applications")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("code", org.hamcrest.Matchers.oneOf("registry-unavailable", "card-standing-unavailable"));
            // DESIGN §6.7, failing closed: with no card events for longer than the bound (2 s), the wallet cannot know
            // whether the card was revoked meanwhile; it refuses resident tokens with a 503 rather than honour them.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    api.wallet().auth().oauth2(residentWallet).get("/api/me/balance").then().statusCode(503)
                            .contentType("application/problem+json").body("code", equalTo("card-standing-unavailable")));
            api.wallet().auth().oauth2(residentWallet).get("/api/me/history").then().statusCode(503);
        } finally {
            suite.registry.restart(RESTART);
        }

        // Back: the clinic's check answers again (once the breakers close), and the same key now grants, once.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                api.eligibilityByCard(card).then().statusCode(200).body("result", equalTo("covered")));
        Outcome granted = untilAnswered(key, "the retried application", () -> api.wallet().header("Idempotency-Key", key)
                .auth().oauth2(api.operationToken(card, "apply-points", "wallet")).contentType(ContentType.JSON)
                .body(Map.of("rule", "insurance-link")).post("/api/applications"), Duration.ofSeconds(60));
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        api.wallet().auth().oauth2(api.walletToken(card)).get("/api/me/balance").then().statusCode(200).body("balance", equalTo(7_500));
        // The token taken before the outage is honoured again once the registry vouches for its card.
        api.wallet().auth().oauth2(residentWallet).get("/api/me/balance").then().statusCode(200).body("balance", equalTo(7_500));
        api.as(api.wallet(), "demo-auditor").get("/api/ledger/trial-balance").then().statusCode(200).body("equal", equalTo(true));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. PostgreSQL restarted under load: the services recover by themselves, without a restart of their own.

    static boolean onPostgres() {
        String url = System.getenv("REGISTRY_DB_URL");
        return url != null && url.startsWith("jdbc:postgresql");
    }

    static void pgCtl(String action) throws Exception {
        Process p = new ProcessBuilder("pg_ctlcluster", "15", "main", action).redirectErrorStream(true).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("pg_ctlcluster " + action + " finished").isTrue();
        assertThat(p.exitValue()).as("pg_ctlcluster " + action + ": " + new String(p.getInputStream().readAllBytes())).isZero();
    }

    /** One round of real work on each service; true when all three answered correctly. */
    static boolean roundTrip(String marker) {
        try {
            Map<String, Object> attributes = attributes("再接続", "太郎", "サイセツゾク", "タロウ");
            String number = api.as(api.registry(), "demo-clerk").body(attributes).post("/api/residents")
                    .then().statusCode(201).extract().path("number");
            api.as(api.registry(), "demo-clerk").header("X-Purpose", "fault-test " + marker).contentType(ContentType.JSON).body(Map.of("number", number)).post("/api/residents/lookup")
                    .then().statusCode(200).body("familyName", equalTo("再接続"));
            api.as(api.wallet(), "demo-auditor").get("/api/ledger/trial-balance").then().statusCode(200).body("equal", equalTo(true));
            api.as(api.insurance(), "demo-auditor").get("/api/events/received").then().statusCode(200);
            return true;
        } catch (AssertionError | RuntimeException e) {
            return false;
        }
    }

    @Test
    void postgresRestartedUnderLoadAndTheServicesRecoverByThemselves() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(onPostgres(), "only on PostgreSQL (REGISTRY_DB_URL=jdbc:postgresql:...)");
        assertThat(roundTrip("before")).isTrue();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(2);
        List<Future<?>> streams = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            streams.add(load.submit(() -> {
                while (running.get()) {
                    (roundTrip("load") ? ok : failed).incrementAndGet();
                }
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() >= 3);
            pgCtl("restart");
            // The database is back; the pools must notice their dead connections and open new ones on their own.
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> roundTrip("after"));
            long recoveredMillis = (System.nanoTime() - back) / 1_000_000;
            for (int i = 0; i < 10; i++) {
                assertThat(roundTrip("steady " + i)).as("round " + i + " after recovery in " + recoveredMillis + " ms").isTrue();
            }
        } finally {
            running.set(false);
            load.shutdown();
            load.awaitTermination(60, TimeUnit.SECONDS);
            load.shutdownNow();
        }
        assertThat(ok.get()).isGreaterThan(3);
        // Nobody restarted them: the very same processes answer.
        assertThat(suite.registry.isAlive()).isTrue();
        assertThat(suite.wallet.isAlive()).isTrue();
        assertThat(suite.insurance.isAlive()).isTrue();
        for (ServiceProcess service : List.of(suite.registry, suite.wallet, suite.insurance)) {
            api.registry().baseUri(service.url()).get("/q/health/ready").then().statusCode(200);
        }
    }

    private static Map<String, Object> withNumber(Map<String, ?> change, String number) {
        Map<String, Object> all = new LinkedHashMap<>(change);
        all.put("number", number);
        return all;
    }
}
