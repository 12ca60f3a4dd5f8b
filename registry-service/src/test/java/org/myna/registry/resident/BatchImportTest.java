package org.myna.registry.resident;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.myna.platform.testkit.LargeBodies;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.net.URL;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** The bulk import path: numbers unique under forced collisions, per-record results, retries that never duplicate. */
@QuarkusTest
class BatchImportTest {

    @TestHTTPResource("/api/residents/batch")
    URL batchUrl;

    @Inject
    EntityManager em;
    @Inject
    ResidentService residents;
    @Inject
    NumberVault vault;
    @Inject
    BatchService batches;
    @Inject
    ObjectMapper json;

    /** Hands out scripted numbers first (a supplier may act, e.g. register a number behind the batch's back), then random ones. */
    static class ScriptedDrawer extends NumberDrawer {
        final Deque<Supplier<IndividualNumber>> script = new ArrayDeque<>();
        final AtomicInteger calls = new AtomicInteger();
        private final SecureRandom random = new SecureRandom();

        @Override
        public synchronized IndividualNumber draw() {
            calls.incrementAndGet();
            Supplier<IndividualNumber> next = script.poll();
            return next != null ? next.get() : IndividualNumber.random(random);
        }
    }

    long count(String jpql) {
        return em.createQuery(jpql, Long.class).getSingleResult();
    }

    static Map<String, Object> record(String ref, String given) {
        return Map.of("ref", ref, "resident", Residents.body("一括試験", given, "イッカツシケン", "タロウ", "1970-03-03"));
    }

    static Response post(Map<String, Object> batch) {
        return given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(batch).post("/api/residents/batch");
    }

    static IndividualNumber fresh() {
        return IndividualNumber.random(new SecureRandom());
    }

    @Test
    void numbersAlreadyTakenOrDrawnTwiceInOneChunkAreDrawnAgain() {
        IndividualNumber taken = IndividualNumber.parse(Residents.register(Residents.sample()));
        IndividualNumber twice = fresh();
        ScriptedDrawer drawer = new ScriptedDrawer();
        drawer.script.add(() -> taken);
        drawer.script.add(() -> twice);
        drawer.script.add(() -> twice);
        QuarkusMock.installMockForType(drawer, NumberDrawer.class);
        long before = count("select count(r) from Resident r");
        long retries = batches.chunkRetries();

        Response r = post(Map.of("batchId", "collide-1", "records", List.of(record("a", "一"), record("b", "二"), record("c", "三"))));

        r.then().statusCode(200).body("created", equalTo(3)).body("rejected", equalTo(0));
        List<String> numbers = r.path("results.number");
        assertThat(new HashSet<>(numbers)).hasSize(3).doesNotContain(taken.digits());
        assertThat(numbers).contains(twice.digits()).allSatisfy(n -> assertThat(IndividualNumber.defectOf(n)).isEmpty());
        assertThat(drawer.calls.get()).isEqualTo(5);
        assertThat(batches.chunkRetries()).isEqualTo(retries);
        assertThat(count("select count(r) from Resident r")).isEqualTo(before + 3);
        for (String n : numbers) {
            assertThat(residents.find(IndividualNumber.parse(n))).isPresent();
        }
    }

    @Test
    void aSingleRegistrationThatDrawsATakenNumberDrawsAgainAndItsKeyStillAnswersOnce() {
        IndividualNumber taken = IndividualNumber.parse(Residents.register(Residents.sample()));
        ScriptedDrawer drawer = new ScriptedDrawer();
        drawer.script.add(() -> taken);
        QuarkusMock.installMockForType(drawer, NumberDrawer.class);
        Map<String, Object> body = Residents.body("衝突", "一郎", "ショウトツ", "イチロウ", "1975-07-07");

        String number = given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).header("Idempotency-Key", "collide-single-1")
                .body(body).post("/api/residents").then().statusCode(201).extract().path("number");

        assertThat(number).isNotEqualTo(taken.digits());
        assertThat(drawer.calls.get()).isEqualTo(2);
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).header("Idempotency-Key", "collide-single-1")
                .body(body).post("/api/residents").then().statusCode(200).body("number", equalTo(number));
        assertThat(count("select count(r) from Resident r where r.registrationKey = 'collide-single-1'")).isEqualTo(1);
    }

    @Test
    void aNumberTakenBetweenTheCheckAndTheInsertRollsTheChunkBackAndItIsRetried() throws Exception {
        IndividualNumber taken = IndividualNumber.parse(Residents.register(Residents.sample()));
        IndividualNumber raced = fresh();
        RegisterResidentRequest other = json.convertValue(Residents.body("横入", "者", "ヨコイリ", "モノ", "1980-01-01"), RegisterResidentRequest.class);
        ScriptedDrawer drawer = new ScriptedDrawer();
        drawer.script.add(() -> raced);   // record a: passes the check
        drawer.script.add(() -> taken);   // record b: taken, so a second round is drawn ...
        drawer.script.add(() -> {         // ... during which someone else registers record a's number
            QuarkusTransaction.requiringNew().run(() -> residents.newResident(other, raced).persist());
            return fresh();
        });
        QuarkusMock.installMockForType(drawer, NumberDrawer.class);
        long before = count("select count(r) from Resident r");
        long logBefore = count("select count(a) from AccessLogEntry a where a.purpose = 'resident-registration:batch'");
        long retries = batches.chunkRetries();

        Response r = post(Map.of("batchId", "race-1", "records", List.of(record("a", "一"), record("b", "二"))));

        r.then().statusCode(200).body("created", equalTo(2));
        List<String> numbers = r.path("results.number");
        assertThat(new HashSet<>(numbers)).hasSize(2).doesNotContain(raced.digits(), taken.digits());
        assertThat(batches.chunkRetries()).isEqualTo(retries + 1);
        // the rolled-back attempt left nothing behind: two residents of the batch, one of the racer, two log rows
        assertThat(count("select count(r) from Resident r")).isEqualTo(before + 3);
        assertThat(count("select count(a) from AccessLogEntry a where a.purpose = 'resident-registration:batch'")).isEqualTo(logBefore + 2);
        post(Map.of("batchId", "race-1", "records", List.of(record("a", "一"), record("b", "二"))))
                .then().statusCode(200).body("existing", equalTo(2)).body("results.number", equalTo(numbers));
    }

    @Test
    void aKeyRegisteredBetweenTheCheckAndTheWriteRollsTheChunkBackAndTheRetryAnswersEachRecordOnce() {
        // On PostgreSQL the chunk is written by COPY, on H2 by batched inserts: either way the unique registration key
        // decides, the whole chunk rolls back, and the retry reads what the racer stored.
        Map<String, Object> bodyB = Residents.body("鍵競合", "二", "カギキョウゴウ", "ニ", "1981-02-02");
        Map<String, Object> bodyC = Residents.body("鍵競合", "三", "カギキョウゴウ", "サン", "1981-03-03");
        RegisterResidentRequest requestB = json.convertValue(bodyB, RegisterResidentRequest.class);
        RegisterResidentRequest otherThanC = json.convertValue(Residents.body("鍵競合", "別人", "カギキョウゴウ", "ベツジン", "1981-04-04"),
                RegisterResidentRequest.class);
        IndividualNumber theirsB = fresh();
        ScriptedDrawer drawer = new ScriptedDrawer();
        drawer.script.add(BatchImportTest::fresh);   // record a
        drawer.script.add(() -> {                    // record b: meanwhile a concurrent retry registers b, and c with other data
            QuarkusTransaction.requiringNew().run(() -> {
                Resident b = residents.newResident(requestB, theirsB);
                b.registrationClient = "demo-clerk";
                b.registrationKey = "key-race-1/b";
                b.registrationHash = residents.requestHash(requestB);
                b.persist();
                Resident c = residents.newResident(otherThanC, fresh());
                c.registrationClient = "demo-clerk";
                c.registrationKey = "key-race-1/c";
                c.registrationHash = residents.requestHash(otherThanC);
                c.persist();
            });
            return fresh();
        });
        QuarkusMock.installMockForType(drawer, NumberDrawer.class);
        long before = count("select count(r) from Resident r");
        long logBefore = count("select count(a) from AccessLogEntry a where a.purpose = 'resident-registration:batch'");
        long retries = batches.chunkRetries();

        Response r = post(Map.of("batchId", "key-race-1", "records", List.of(record("a", "一"),
                Map.of("ref", "b", "resident", bodyB), Map.of("ref", "c", "resident", bodyC))));

        r.then().statusCode(200).body("created", equalTo(1)).body("existing", equalTo(1)).body("rejected", equalTo(1))
                .body("results[0].status", equalTo("created"))
                .body("results[1].status", equalTo("existing")).body("results[1].number", equalTo(theirsB.digits()))
                .body("results[2].status", equalTo("rejected")).body("results[2].violations[0].field", equalTo("ref"))
                .body("results[2].violations[0].message", equalTo("was imported before with different data"));
        assertThat(batches.chunkRetries()).isEqualTo(retries + 1);
        // Nothing of the rolled-back attempt is left: the racer's two rows, record a, and a's one access-log row.
        assertThat(count("select count(r) from Resident r")).isEqualTo(before + 3);
        assertThat(count("select count(a) from AccessLogEntry a where a.purpose = 'resident-registration:batch'")).isEqualTo(logBefore + 1);
        assertThat(count("select count(r) from Resident r where r.registrationKey like 'key-race-1/%'")).isEqualTo(3);
    }

    @Test
    void backslashesAndQuotesInNamesAndAddressesAreStoredAsWritten() {
        // COPY's text format gives \N, \t and \\ a meaning: each must reach the row as the clerk wrote it.
        Map<String, Object> body = Residents.body("\\N", "a\\tb\\\\c", "バックスラッシュ", "カナ", "1970-05-05");
        @SuppressWarnings("unchecked")
        Map<String, Object> address = (Map<String, Object>) body.get("address");
        address.put("municipality", "千代田区\\.\"'");
        address.put("line", "\\n1-1 \\r");
        Response r = post(Map.of("batchId", "escape-1", "records", List.of(Map.of("ref", "e", "resident", body))));

        r.then().statusCode(200).body("created", equalTo(1));
        Resident stored = residents.find(IndividualNumber.parse(r.path("results[0].number"))).orElseThrow();
        assertThat(stored.familyName).isEqualTo("\\N");
        assertThat(stored.givenName).isEqualTo("a\\tb\\\\c");
        assertThat(stored.municipality).isEqualTo("千代田区\\.\"'");
        assertThat(stored.addressLine).isEqualTo("\\n1-1 \\r");
        assertThat(stored.status).isEqualTo(Resident.ACTIVE);
        assertThat(stored.registrationKey).isEqualTo("escape-1/e");
        assertThat(stored.dateOfBirth).isEqualTo(java.time.LocalDate.of(1970, 5, 5));
    }

    @Test
    void concurrentRetriesOfOneBatchCreateEveryRecordOnce() throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            records.add(record("c" + i, "並行" + i));
        }
        Map<String, Object> batch = Map.of("batchId", "concurrent-retry-1", "records", records);
        long before = count("select count(r) from Resident r");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(() -> post(batch)));
            }
            int created = 0;
            Map<String, String> numberByRef = new HashMap<>();
            for (Future<Response> f : futures) {
                Response r = f.get();
                r.then().statusCode(200).body("rejected", equalTo(0));
                created += r.<Integer>path("created");
                List<Map<String, String>> results = r.path("results");
                for (Map<String, String> result : results) {
                    String earlier = numberByRef.putIfAbsent(result.get("ref"), result.get("number"));
                    assertThat(earlier == null || earlier.equals(result.get("number"))).as("one number per ref").isTrue();
                }
            }
            assertThat(created).isEqualTo(60);
            assertThat(new HashSet<>(numberByRef.values())).hasSize(60);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("select count(r) from Resident r")).isEqualTo(before + 60);
    }

    @Test
    void aLargeBatchSpansChunksReportsBadRecordsAndLogsEveryCreation() {
        List<Map<String, Object>> records = new ArrayList<>();
        Set<Integer> bad = Set.of(7, 999, 1000, 1001, 2048);
        for (int i = 0; i < 2100; i++) {
            records.add(bad.contains(i)
                    ? Map.of("ref", "big" + i, "resident", Residents.body("大量", "不正", "Tairyou", "フセイ", "1970-01-01"))
                    : Map.of("ref", "big" + i, "resident", Residents.body("大量", "名" + i, "タイリョウ", "ナ", "1970-01-01")));
        }
        long before = count("select count(r) from Resident r");
        Response r = post(Map.of("batchId", "big-1", "records", records));
        r.then().statusCode(200).body("created", equalTo(2095)).body("rejected", equalTo(5))
                .body("results[999].status", equalTo("rejected")).body("results[998].status", equalTo("created"))
                .body("results[1002].status", equalTo("created"));
        List<String> numbers = r.path("results.findAll { it.status == 'created' }.number");
        assertThat(new HashSet<>(numbers)).hasSize(2095);
        assertThat(count("select count(r) from Resident r")).isEqualTo(before + 2095);
        assertThat(count("select count(a) from AccessLogEntry a, Resident r where a.residentId = r.id and r.familyName = '大量' "
                + "and a.action = 'create' and a.actor = 'demo-clerk' and a.actorRole = 'clerk'")).isEqualTo(2095);
        assertThat(count("select count(r) from Resident r where r.registrationClient = 'demo-clerk' and r.registrationKey like 'big-1/%'")).isEqualTo(2095);
        // the stored row decrypts to the number answered, and the HMAC finds it
        Resident stored = residents.find(IndividualNumber.parse(numbers.get(1234))).orElseThrow();
        assertThat(vault.decrypt(stored.numberCipher).digits()).isEqualTo(numbers.get(1234));
        assertThat(stored.familyName).isEqualTo("大量");
        assertThat(stored.version).isZero();
    }

    @Test
    void aRecordImportedBeforeWithOtherDataIsRejectedAndTheOthersAreCreated() {
        post(Map.of("batchId", "changed-1", "records", List.of(record("x", "元")))).then().statusCode(200).body("created", equalTo(1));
        Response r = post(Map.of("batchId", "changed-1", "records", List.of(record("x", "変更"), record("y", "新"))));
        r.then().statusCode(200).body("created", equalTo(1)).body("rejected", equalTo(1))
                .body("results[0].status", equalTo("rejected")).body("results[0].violations[0].field", equalTo("ref"))
                .body("results[1].status", equalTo("created"));
    }

    @Test
    void bulkIdsAndOrdinaryPersistsInterleaveWithoutClashing() {
        long retries = batches.chunkRetries();
        for (int round = 0; round < 3; round++) {
            Residents.register(Residents.sample());
            List<Map<String, Object>> records = new ArrayList<>();
            for (int i = 0; i < 70; i++) {
                records.add(record("m" + i, "交互" + i));
            }
            post(Map.of("batchId", "interleave-" + round, "records", records)).then().statusCode(200).body("created", equalTo(70));
            given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON)
                    .body(Map.of("number", Residents.register(Residents.sample()))).post("/api/residents/lookup").then().statusCode(200);
        }
        assertThat(batches.chunkRetries()).as("no id clash made a chunk roll back").isEqualTo(retries);
    }

    @Test
    void aBatchOverTheRecordLimitIsA400ProblemAndStoresNothing() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i <= ResidentResource.MAX_BATCH; i++) {
            records.add(Map.of("ref", "o" + i, "resident", Map.of()));
        }
        long before = count("select count(r) from Resident r");
        post(Map.of("batchId", "over-limit-1", "records", records)).then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("code", equalTo("invalid-batch-size"));
        assertThat(count("select count(r) from Resident r")).isEqualTo(before);
    }

    @Test
    void aBodyOverTheSizeLimitIsRefusedAndStoresNothing() throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 6000; i++) { // about 2.3 MB, over the 2 MB body limit
            records.add(record("s" + i, "大きい" + "あ".repeat(45)));
        }
        long before = count("select count(r) from Resident r");
        int status = LargeBodies.postJson(batchUrl.toURI(), Tokens.clerk(), Map.of("batchId", "oversize-1", "records", records)).statusCode();
        assertThat(status).isEqualTo(413);
        assertThat(count("select count(r) from Resident r")).isEqualTo(before);
    }

    @Test
    void everyKindOfBadRecordIsRejectedOnItsOwnAndTheGoodOnesAreCreatedOnce() {
        Map<String, Object> unknownField = new HashMap<>(Residents.body("不明", "項目", "フメイ", "コウモク", "1970-01-01"));
        unknownField.put("favouriteColour", "blue");
        Map<String, Object> wrongType = new HashMap<>(Residents.body("型", "違い", "カタ", "チガイ", "1970-01-01"));
        wrongType.put("dateOfBirth", 19700101);
        Map<String, Object> badDate = new HashMap<>(Residents.body("日付", "不正", "ヒヅケ", "フセイ", "1970-01-01"));
        badDate.put("dateOfBirth", "1970-02-30");
        List<Object> records = new ArrayList<>();
        records.add(record("g1", "良一"));
        records.add(Map.of("ref", "u", "resident", unknownField));
        records.add(Map.of("ref", "t", "resident", wrongType));
        records.add(Map.of("ref", "d", "resident", badDate));
        records.add(Map.of("ref", "n", "resident", "not an object"));
        records.add(Map.of("ref", "k", "resident", Residents.body("仮名", "不正", "kana", "カナ", "1970-01-01")));
        records.add(Map.of("resident", Residents.body("参照", "無し", "サンショウ", "ナシ", "1970-01-01")));
        records.add(record("g1", "良一"));
        records.add("not a record");
        records.add(record("g2", "良二"));
        Map<String, Object> batch = Map.of("batchId", "bad-kinds-1", "records", records);
        long before = count("select count(r) from Resident r");

        Response first = post(batch);
        first.then().statusCode(200).body("created", equalTo(2)).body("rejected", equalTo(8));
        List<String> statuses = first.path("results.status");
        assertThat(statuses).containsExactly("created", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected",
                "rejected", "rejected", "created");
        assertThat(count("select count(r) from Resident r")).isEqualTo(before + 2);

        Response again = post(batch);
        again.then().statusCode(200).body("created", equalTo(0)).body("existing", equalTo(2)).body("rejected", equalTo(8));
        assertThat(again.<List<String>>path("results.number")).isEqualTo(first.<List<String>>path("results.number"));
        assertThat(count("select count(r) from Resident r")).isEqualTo(before + 2);
    }
}
