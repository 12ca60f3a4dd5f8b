package org.myna.registry.vid;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.myna.platform.checkdigit.Verhoeff;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

@QuarkusTest
class VirtualIdTest {

    static final String OP = "create-virtual-id";

    @Inject
    EntityManager em;

    static String create(CardFlow.Issued holder) {
        return given().auth().oauth2(CardFlow.operationToken(holder.card(), OP, "registry")).post("/api/me/virtual-id")
                .then().statusCode(201).body("virtualId", matchesPattern("[0-9]{16}")).extract().path("virtualId");
    }

    static Response lookup(String identifier) {
        return given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("number", identifier))
                .post("/api/residents/lookup");
    }

    static Response link(String identifier) {
        Map<String, Object> body = new LinkedHashMap<>(Residents.sample());
        body.put("number", identifier);
        return given().auth().oauth2(Tokens.of("insurance-service")).contentType(ContentType.JSON).body(body)
                .post("/api/insurance-links");
    }

    static Response check(String identifier) {
        return given().contentType(ContentType.JSON).body(Map.of("number", identifier)).post("/api/individual-numbers/check");
    }

    /** A well-formed VID nobody was given (1 chance in 10^15 of being someone's). */
    static String unknownVid() {
        String body = String.valueOf(100_000_000_000_000L + (long) (Math.random() * 899_999_999_999_999L));
        return body + Verhoeff.checkDigit(body);
    }

    /** The parts of a refusal a caller sees, without the per-request trace. */
    static Map<String, Object> answer(Response r) {
        Map<String, Object> a = new LinkedHashMap<>(r.jsonPath().getMap(""));
        a.remove("instance");
        a.remove("traceId");
        a.put("status", r.statusCode());
        return a;
    }

    @Test
    void aResidentCreatesAVidThatOrganisationsUseInsteadOfTheNumberAndEveryUseIsLogged() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String vid = create(holder);
        assertThat(Verhoeff.valid(vid)).isTrue();
        // the clerk's lookup by VID: the record, never the number behind it
        lookup(vid).then().statusCode(200).body("familyName", equalTo("山田")).body("$", not(hasKey("number")));
        // the insurer's link by VID gives the same link code as by number
        String byVid = link(vid).then().statusCode(200).extract().path("linkCode");
        String byNumber = link(holder.number()).then().statusCode(200).extract().path("linkCode");
        assertThat(byVid).isEqualTo(byNumber);
        // an insurer's bulk enrolment too: the VID links, an unknown one reads no-match, a typo names its defect
        Map<String, Object> known = new LinkedHashMap<>(Residents.sample());
        known.put("number", vid);
        Map<String, Object> unknown = new LinkedHashMap<>(known);
        unknown.put("number", unknownVid());
        Map<String, Object> typo = new LinkedHashMap<>(known);
        typo.put("number", vid.substring(0, 15) + (char) ('0' + (vid.charAt(15) - '0' + 1) % 10));
        given().auth().oauth2(Tokens.of("insurance-service")).contentType(ContentType.JSON)
                .body(Map.of("links", List.of(known, unknown, typo))).post("/api/insurance-links/batch")
                .then().statusCode(200).body("results.outcome", org.hamcrest.Matchers.contains("linked", "no-match", "invalid-number"))
                .body("results[0].linkCode", equalTo(byNumber)).body("results[2].defect", equalTo("check-digit"));
        String token = CardFlow.login(holder.card(), "registry");
        given().auth().oauth2(token).get("/api/me/virtual-id").then().statusCode(200).body("active", equalTo(true))
                .body("$", not(hasKey("virtualId")));
        given().auth().oauth2(token).get("/api/me/access-log").then().statusCode(200)
                .body("purpose", hasItem("virtual-id-use:resident-record-inquiry"))
                .body("purpose", hasItem("virtual-id-use:insurance-link"))
                .body("purpose", hasItem("virtual-id-creation"));
        // only the keyed hash is stored
        long clear = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from registry.virtual_id where vid_hmac = ?1").setParameter(1, vid).getSingleResult()).longValue());
        assertThat(clear).isZero();
    }

    @Test
    void aRevokedVidResolvesToNothingWithTheAnswerOfAnUnknownOne() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String vid = create(holder);
        Map<String, Object> activeCheck = answer(check(vid));
        lookup(vid).then().statusCode(200);
        String token = CardFlow.login(holder.card(), "registry");
        given().auth().oauth2(token).delete("/api/me/virtual-id").then().statusCode(204);
        given().auth().oauth2(token).delete("/api/me/virtual-id").then().statusCode(404)
                .body("code", equalTo("no-active-virtual-id"));
        String unknown = unknownVid();
        assertThat(answer(lookup(vid))).isEqualTo(answer(lookup(unknown))).containsEntry("code", "resident-not-found");
        assertThat(answer(link(vid))).isEqualTo(answer(link(unknown))).containsEntry("code", "no-match");
        suspendByCallCentre(vid).then().statusCode(422).body("code", equalTo("identity-not-confirmed"));
        // the public check judges the syntax only: active, revoked and unknown VIDs read alike
        assertThat(answer(check(vid))).isEqualTo(activeCheck).isEqualTo(answer(check(unknown)))
                .containsEntry("wellFormed", true).containsEntry("kind", "virtual-id");
        given().auth().oauth2(token).get("/api/me/virtual-id").then().body("active", equalTo(false));
    }

    @Test
    void anExpiredVidResolvesToNothingAndMakesRoomForANewOne() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String vid = create(holder);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "update registry.virtual_id set created_at = ?1, expires_at = ?2 where active_resident_id = "
                                + "(select resident_id from registry.virtual_id v where v.vid_hmac = ?3)")
                .setParameter(1, OffsetDateTime.now().minusDays(2)).setParameter(2, OffsetDateTime.now().minusDays(1))
                .setParameter(3, hash(vid)).executeUpdate());
        String unknown = unknownVid();
        assertThat(answer(lookup(vid))).isEqualTo(answer(lookup(unknown)));
        assertThat(answer(link(vid))).isEqualTo(answer(link(unknown)));
        String next = create(holder);
        assertThat(next).isNotEqualTo(vid);
        lookup(next).then().statusCode(200);
        assertThat(answer(lookup(vid))).isEqualTo(answer(lookup(unknown)));
    }

    @Inject
    org.myna.registry.resident.NumberVault vault;

    String hash(String vid) {
        return vault.virtualIdHash(vid);
    }

    @Test
    void aSecondVidWhileOneIsActiveIsRefused() {
        CardFlow.Issued holder = CardFlow.newHolder();
        create(holder);
        given().auth().oauth2(CardFlow.operationToken(holder.card(), OP, "registry")).post("/api/me/virtual-id")
                .then().statusCode(409).body("code", equalTo("virtual-id-active"));
        // a resident token is not enough to create one: it takes the card and PIN again
        given().auth().oauth2(CardFlow.login(holder.card(), "registry")).post("/api/me/virtual-id").then().statusCode(403);
    }

    @Test
    void twoParallelCreationsLeaveOneActiveVid() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder();
        int n = 6;
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tokens.add(CardFlow.operationToken(holder.card(), OP, "registry"));
        }
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (String token : tokens) {
                results.add(pool.submit((Callable<Integer>) () -> {
                    start.await();
                    return given().auth().oauth2(token).post("/api/me/virtual-id").statusCode();
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        long residentId = residentOf(holder.number());
        long active = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from registry.virtual_id where resident_id = ?1 and active_resident_id is not null")
                .setParameter(1, residentId).getSingleResult()).longValue());
        assertThat(active).isEqualTo(1);
    }

    @Test
    void theDatabaseHoldsAtMostOneActiveVidPerResident() {
        CardFlow.Issued holder = CardFlow.newHolder();
        create(holder);
        long residentId = residentOf(holder.number());
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "insert into registry.virtual_id (id, resident_id, vid_hmac, active_resident_id, created_at, expires_at) "
                                + "values (-?1, ?1, 'x' || ?1, ?1, current_timestamp, current_timestamp + interval '1' day)")
                .setParameter(1, residentId).executeUpdate())).isInstanceOf(RuntimeException.class);
        // and an active row must be its own resident's
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "insert into registry.virtual_id (id, resident_id, vid_hmac, active_resident_id, created_at, expires_at) "
                                + "values (-?1, ?1, 'y' || ?1, -?1, current_timestamp, current_timestamp + interval '1' day)")
                .setParameter(1, residentId).executeUpdate())).isInstanceOf(RuntimeException.class);
    }

    @Test
    void aMalformedVidIsRefusedNamingTheDefectNeverTheValue() {
        String unknown = unknownVid();
        String wrongCheck = unknown.substring(0, 15) + (char) ('0' + (unknown.charAt(15) - '0' + 1) % 10);
        lookup(wrongCheck).then().statusCode(400).body("code", equalTo("invalid-number"))
                .body(not(org.hamcrest.Matchers.containsString(wrongCheck)));
        link(wrongCheck).then().statusCode(400).body("code", equalTo("invalid-number"));
        check(wrongCheck).then().statusCode(200).body("wellFormed", equalTo(false)).body("defect", equalTo("check-digit"));
        check("123456789012345a").then().body("defect", equalTo("non-digit"));
    }

    @Test
    void aCallCentreSuspendsALostCardByVid() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String vid = create(holder);
        suspendByCallCentre(vid).then().statusCode(200);
    }

    static Response suspendByCallCentre(String identifier) {
        Map<String, Object> body = new LinkedHashMap<>(Residents.sample());
        body.remove("number");
        body.put("individualNumber", identifier);
        return given().auth().oauth2(Tokens.of("demo-call-centre")).contentType(ContentType.JSON).body(body)
                .post("/api/card-suspensions");
    }

    long residentOf(String number) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select id from registry.resident where number_hmac = ?1").setParameter(1, vault.lookupHash(
                org.myna.registry.resident.IndividualNumber.parse(number))).getSingleResult()).longValue());
    }
}
