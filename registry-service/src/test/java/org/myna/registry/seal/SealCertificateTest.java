package org.myna.registry.seal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.myna.registry.accesslog.AccessLogEntry;
import org.myna.registry.auth.SigningKeys;
import org.myna.registry.linkcode.LinkCodeService;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class SealCertificateTest {

    @Inject
    SigningKeys keys;

    @Inject
    LinkCodeService links;

    record Registered(String number, long sealId, String card, long residentId) {
    }

    Registered registered(String family, String given, String dob) {
        String number = SealFixtures.resident(Residents.body(family, given, "ショウメイ", "ハナコ", dob));
        Response r = SealFixtures.registerSeal(number);
        long sealId = r.jsonPath().getLong("sealId");
        long residentId = QuarkusTransaction.requiringNew().call(() -> Seal.<Seal>findById(sealId).residentId);
        return new Registered(number, sealId, r.path("registrationCardNumber"), residentId);
    }

    Registered registered() {
        return registered("証明", "花子", "1975-03-03");
    }

    static JwtClaims verifiedClaims(String jws, SigningKeys keys) throws Exception {
        JsonWebSignature signature = new JsonWebSignature();
        signature.setCompactSerialization(jws);
        signature.setKey(keys.publicKey());
        assertThat(signature.verifySignature()).as("the document's signature verifies with the registry key").isTrue();
        assertThat(signature.getHeader("typ")).isEqualTo("seal-certificate+jwt");
        assertThat(signature.getKeyIdHeaderValue()).isEqualTo(keys.keyId());
        return JwtClaims.parse(signature.getPayload());
    }

    @Test
    void issuesASignedCertificateAtTheCounterAndVerifiesItPublicly() throws Exception {
        Registered s = registered("𠮷野", "花子", "1975-03-03");
        Response issued = SealFixtures.counter(s.card());
        issued.then().statusCode(201)
                .body("familyName", equalTo("𠮷野"))
                .body("dateOfBirth", equalTo("1975-03-03"))
                .body("address.municipality", equalTo("千代田区"))
                .body("sealId", equalTo((int) s.sealId()))
                .body("sealVersion", equalTo(0));
        JwtClaims claims = verifiedClaims(issued.path("signedDocument"), keys);
        assertThat(claims.getStringClaimValue("certificateNumber")).isEqualTo(issued.path("certificateNumber"));
        assertThat(claims.getStringClaimValue("verificationCode")).isEqualTo(issued.path("verificationCode"));
        assertThat(claims.getStringClaimValue("familyName")).isEqualTo("𠮷野");
        assertThat(claims.getStringClaimValue("sealImageSha256")).isEqualTo(issued.path("sealImageSha256"));
        assertThat(claims.getClaimValue("sealId", Long.class)).isEqualTo(s.sealId());
        assertThat(claims.getStringClaimValue("asOf")).isNotBlank();
        assertThat(claims.getAudience()).isEmpty();
        assertThat(claims.hasClaim("groups")).isFalse();
        assertThat(claims.toJson()).doesNotContain(s.number());

        String number = issued.path("certificateNumber");
        String code = issued.path("verificationCode");
        verify(number, code).then().statusCode(200)
                .body("status", equalTo("valid")).body("familyName", equalTo("𠮷野"))
                .body("dateOfBirth", equalTo("1975-03-03"));
        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(AccessLogEntry.count("residentId = ?1 and purpose = 'seal-certificate:counter'", s.residentId())).isEqualTo(1);
            assertThat(AccessLogEntry.count("residentId = ?1 and purpose = 'seal-certificate-verification'", s.residentId())).isEqualTo(1);
        });
    }

    @Test
    void wrongVerificationCodeAnswersUnknownLikeAnUnknownNumber() {
        Registered s = registered();
        Response issued = SealFixtures.counter(s.card());
        String number = issued.path("certificateNumber");
        String code = issued.path("verificationCode");
        for (String[] attempt : new String[][]{{number, "WRONGCODE234"}, {number, null}, {"NOSUCHCERTIFICATE", code}}) {
            String body = verify(attempt[0], attempt[1]).then().statusCode(200).body("status", equalTo("unknown")).extract().asString();
            assertThat(body).doesNotContain("花子").doesNotContain("1975");
        }
    }

    @Test
    void theSignedDocumentIsNotABearerToken() {
        Registered s = registered();
        String document = SealFixtures.counter(s.card()).path("signedDocument");
        given().auth().oauth2(document).contentType(ContentType.JSON).body(Map.of("number", s.number())).post("/api/residents/lookup").then().statusCode(401);
        given().auth().oauth2(document).post("/api/kiosk/seal-certificates").then().statusCode(401);
    }

    @Test
    void deregisteredSealGetsNoCertificateAndItsEarlierCertificatesSaySo() {
        Registered s = registered();
        Response before = SealFixtures.counter(s.card());
        before.then().statusCode(201);
        SealFixtures.deregister(s.sealId(), "resident-request").then().statusCode(200);
        SealFixtures.counter(s.card()).then().statusCode(409).body("code", equalTo("seal-deregistered"));
        verify(before.path("certificateNumber"), before.path("verificationCode"))
                .then().statusCode(200).body("status", equalTo("seal-deregistered")).body("deregisteredAt", notNullValue())
                .body("familyName", org.hamcrest.Matchers.nullValue());
        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(SealCertificate.count("sealId", s.sealId())).isEqualTo(1);
            assertThat(AccessLogEntry.count("residentId = ?1 and purpose = 'seal-deregistration:resident-request'", s.residentId())).isEqualTo(1);
        });
    }

    @Test
    void unknownRegistrationCardIsNotFound() {
        SealFixtures.counter("NOSUCHCARD234567").then().statusCode(404).body("code", equalTo("seal-not-found"));
        given().auth().oauth2(SealFixtures.clerk()).contentType(ContentType.JSON).body(Map.of())
                .post("/api/seal-certificates").then().statusCode(400);
    }

    @Test
    void aChangeOfNameAddressOrDeathEndsTheSealInTheSameTransaction() {
        Registered renamed = registered();
        Response earlier = SealFixtures.counter(renamed.card());
        given().auth().oauth2(SealFixtures.clerk()).contentType(ContentType.JSON).body(Map.of("number", renamed.number(), "familyName", "新姓"))
                .post("/api/residents/changes").then().statusCode(200);
        SealFixtures.counter(renamed.card()).then().statusCode(409).body("code", equalTo("seal-deregistered"));
        verify(earlier.path("certificateNumber"), earlier.path("verificationCode"))
                .then().body("status", equalTo("seal-deregistered"));

        Registered moved = registered();
        given().auth().oauth2(SealFixtures.clerk()).contentType(ContentType.JSON)
                .body(Map.of("number", moved.number(), "address", Map.of("postalCode", "530-0001", "prefecture", "大阪府", "municipality", "大阪市北区", "line", "梅田1-1")))
                .post("/api/residents/changes").then().statusCode(200);

        Registered died = registered();
        given().auth().oauth2(SealFixtures.clerk()).contentType(ContentType.JSON).body(Map.of("number", died.number(), "dateOfDeath", "2025-01-01"))
                .post("/api/residents/deaths").then().statusCode(200);

        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(Seal.<Seal>findById(renamed.sealId()).deregistrationReason).isEqualTo("name-changed");
            assertThat(Seal.<Seal>findById(moved.sealId()).deregistrationReason).isEqualTo("moved-out");
            assertThat(Seal.<Seal>findById(died.sealId()).deregistrationReason).isEqualTo("deceased");
            for (Registered r : List.of(renamed, moved, died)) {
                Seal seal = Seal.findById(r.sealId());
                assertThat(seal.status).isEqualTo("deregistered");
                assertThat(seal.deregisteredAt).isNotNull();
                assertThat(seal.activeResidentId).isNull();
            }
        });
        SealFixtures.counter(died.card()).then().statusCode(409).body("code", equalTo("seal-deregistered"));
    }

    /**
     * 30 issuances and one de-registration start together on the same seal, several times over. Whatever the
     * interleaving, no certificate may be dated after the de-registration, and every certificate must name the
     * version of the seal that was active.
     */
    @Test
    void deregistrationRacingIssuanceNeverLeavesACertificateForADeregisteredSeal() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(31);
        try {
            for (int round = 0; round < 4; round++) {
                Registered s = registered();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Response>> issuances = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    issuances.add(pool.submit(() -> {
                        start.await();
                        return SealFixtures.counter(s.card());
                    }));
                }
                int deregisterAt = round * 9;
                Future<Response> deregistration = pool.submit(() -> {
                    start.await();
                    for (int spin = 0; spin < deregisterAt * 1000; spin++) {
                        Thread.onSpinWait();
                    }
                    return SealFixtures.deregister(s.sealId(), "resident-request");
                });
                start.countDown();
                assertThat(deregistration.get().statusCode()).isEqualTo(200);
                int issued = 0;
                for (Future<Response> f : issuances) {
                    Response r = f.get();
                    if (r.statusCode() == 201) {
                        issued++;
                        assertThat(r.jsonPath().getInt("sealVersion")).isZero();
                    } else {
                        assertThat(r.statusCode()).isEqualTo(409);
                        assertThat(r.jsonPath().getString("code")).isIn("seal-deregistered", "seal-busy");
                    }
                }
                int answeredOk = issued;
                QuarkusTransaction.requiringNew().run(() -> {
                    Seal seal = Seal.findById(s.sealId());
                    assertThat(seal.status).isEqualTo("deregistered");
                    List<SealCertificate> certificates = SealCertificate.list("sealId", s.sealId());
                    assertThat(certificates).hasSize(answeredOk);
                    for (SealCertificate c : certificates) {
                        assertThat(c.issuedAt).as("issued before the de-registration").isBeforeOrEqualTo(seal.deregisteredAt);
                        assertThat(c.sealVersion).as("issued against the active version").isZero().isLessThan(seal.version);
                    }
                });
                SealFixtures.counter(s.card()).then().statusCode(409).body("code", equalTo("seal-deregistered"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void kioskIssuesForTheTokensResidentAndRefusesAReplay() throws Exception {
        Registered s = registered("窓口", "一郎", "1960-06-06");
        String token = SealFixtures.kioskToken(keys, links.codeFor(s.residentId(), "registry"));
        Response issued = SealFixtures.kiosk(token);
        issued.then().statusCode(201).body("familyName", equalTo("窓口")).body("givenName", equalTo("一郎"));
        assertThat(verifiedClaims(issued.path("signedDocument"), keys).getStringClaimValue("givenName")).isEqualTo("一郎");
        SealFixtures.kiosk(token).then().statusCode(409).body("code", equalTo("operation-token-used"));
        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(SealCertificate.count("sealId", s.sealId())).isEqualTo(1);
            assertThat(AccessLogEntry.count("residentId = ?1 and purpose = 'seal-certificate:kiosk'", s.residentId())).isEqualTo(1);
        });
    }

    @Test
    void aKioskTokenReplayedConcurrentlyActsOnce() throws Exception {
        Registered s = registered();
        String token = SealFixtures.kioskToken(keys, links.codeFor(s.residentId(), "registry"));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> codes = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                codes.add(pool.submit(() -> {
                    start.await();
                    return SealFixtures.kiosk(token).statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : codes) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(c -> c == 201).hasSize(1);
            assertThat(statuses).filteredOn(c -> c != 201).allMatch(c -> c == 409);
        } finally {
            pool.shutdownNow();
        }
        assertThat(QuarkusTransaction.requiringNew().call(() -> SealCertificate.count("sealId", s.sealId()))).isEqualTo(1);
    }

    @Test
    void kioskRefusesTokensThatAreNotKioskOperationTokens() {
        Registered s = registered();
        String code = links.codeFor(s.residentId(), "registry");
        SealFixtures.kiosk(SealFixtures.operationToken(keys, code, "apply-points", "operation"))
                .then().statusCode(403).body("code", equalTo("operation-token-wrong-operation"));
        SealFixtures.kiosk(SealFixtures.operationToken(keys, code, "kiosk-seal-certificate", "resident"))
                .then().statusCode(403);
        SealFixtures.kiosk(SealFixtures.clerk()).then().statusCode(403);
        SealFixtures.kiosk(SealFixtures.kioskToken(keys, links.codeFor(s.residentId(), "wallet")))
                .then().statusCode(401).body("code", equalTo("operation-token-invalid"));
        given().post("/api/kiosk/seal-certificates").then().statusCode(401);
        assertThat(QuarkusTransaction.requiringNew().call(() -> SealCertificate.count("sealId", s.sealId()))).isZero();
    }

    @Test
    void kioskSaysWhenTheRequesterHasNoActiveSeal() {
        String number = SealFixtures.resident(Residents.body("無印", "花子", "ムイン", "ハナコ", "1970-01-01"));
        long residentId = QuarkusTransaction.requiringNew().call(() ->
                org.myna.registry.resident.Resident.<org.myna.registry.resident.Resident>find("numberHmac",
                        vault.lookupHash(org.myna.registry.resident.IndividualNumber.parse(number))).firstResult().id);
        String code = links.codeFor(residentId, "registry");
        SealFixtures.kiosk(SealFixtures.kioskToken(keys, code)).then().statusCode(404).body("code", equalTo("no-registered-seal"));
        long sealId = SealFixtures.registerSeal(number).jsonPath().getLong("sealId");
        SealFixtures.deregister(sealId, "card-lost").then().statusCode(200);
        SealFixtures.kiosk(SealFixtures.kioskToken(keys, code)).then().statusCode(409).body("code", equalTo("seal-deregistered"));
    }

    @Inject
    org.myna.registry.resident.NumberVault vault;

    /** The public check: number and code in the body, never in a URL. */
    private static Response verify(String certificateNumber, String code) {
        Map<String, String> body = new java.util.HashMap<>();
        body.put("certificateNumber", certificateNumber);
        body.put("verificationCode", code);
        return given().contentType(ContentType.JSON).body(body).post("/api/seal-certificates/verifications");
    }
}
