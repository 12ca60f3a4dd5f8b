package org.myna.insurance.eligibility;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.myna.insurance.config.InsuranceConfig;
import org.myna.insurance.support.Cards;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.TestCa;
import org.myna.insurance.support.Tokens;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
class EligibilityResourceTest {

    @InjectRegistryMock
    WireMockServer registry;

    @Inject
    EntityManager em;

    @Inject
    CheckAdmission admission;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    long checks() {
        return em.createQuery("select count(c) from EligibilityCheck c", Long.class).getSingleResult();
    }

    /** The fake registry answers this status (and, when good, this link code) for this card's certificate. */
    void registryKnows(Cards card, String status, String linkCode) {
        registry.stubFor(post(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate())))
                .willReturn(okJson("{\"status\":\"" + status + "\""
                        + (linkCode == null ? "" : ",\"linkCode\":\"" + linkCode + "\"") + "}")));
    }

    static Map<String, Object> challenge() {
        return given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION)
                .post("/api/eligibility/challenges").then().statusCode(201).extract().as(Map.class);
    }

    static ValidatableResponse cardCheck(Cards card) {
        Map<String, Object> c = challenge();
        return cardCheck(card, (String) c.get("challengeId"), card.sign((String) c.get("nonce")));
    }

    static ValidatableResponse cardCheck(Cards card, String challengeId, String signature) {
        return given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION)
                .contentType(ContentType.JSON)
                .body(Map.of("challengeId", challengeId, "certificate", card.authCertificate(), "signature", signature))
                .post("/api/eligibility/card-checks").then();
    }

    static ValidatableResponse numberCheck(Fixtures.Linked m, String dateOfBirth) {
        return given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION)
                .contentType(ContentType.JSON)
                .body(Map.of("insurerNumber", m.insurerNumber(), "symbol", m.body().get("symbol"),
                        "number", m.body().get("number"), "branch", m.body().get("branch"), "dateOfBirth", dateOfBirth))
                .post("/api/eligibility/number-checks").then();
    }

    @ParameterizedTest
    @ValueSource(strings = {"髙橋", "山﨑", "𠮷野", "葛\uDB40\uDD00城"})
    void cardCheckReturnsCoverageWithTheExactName(String family) {
        Fixtures.Linked member = Fixtures.linkedMember(registry, family, "花子");
        Cards card = Cards.valid();
        registryKnows(card, "good", member.linkCode());
        byte[] raw = cardCheck(card).statusCode(200)
                .body("result", equalTo("covered"))
                .body("coverage.insurerNumber", equalTo(member.insurerNumber()))
                .body("coverage.insurerName", equalTo("テスト健康保険組合"))
                .body("coverage.copayRate", equalTo(30))
                .body("coverage.validFrom", equalTo("2020-04-01"))
                .body("fallbacks", nullValue())
                .extract().asByteArray();
        String json = new String(raw, StandardCharsets.UTF_8);
        assertThat(json).contains("\"familyName\":\"" + family + "\"");
        String returned = given().auth().oauth2(Tokens.resident(member.linkCode())).get("/api/me/coverage")
                .then().statusCode(200).extract().path("[0].familyName");
        assertThat(returned.getBytes(StandardCharsets.UTF_8)).isEqualTo(family.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource({"revoked, card-revoked", "suspended, card-suspended", "expired, certificate-expired"})
    void revokedOrSuspendedCardIsNeverCovered(String status, String result) {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "花子");
        Cards card = Cards.valid();
        registryKnows(card, status, null);
        cardCheck(card).statusCode(200).body("result", equalTo(result)).body("coverage", nullValue());
    }

    @Test
    void answersNotLinkedForAGoodCardWithoutMembership() {
        Cards card = Cards.valid();
        registryKnows(card, "good", "unknownLinkCode0000000");
        cardCheck(card).statusCode(200).body("result", equalTo("not-linked")).body("coverage", nullValue());
    }

    @Test
    void expiredCertificateWhileCoveredPointsToFallbacksWhichAnswerCovered() {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "花子");
        Cards card = Cards.expired();
        cardCheck(card).statusCode(200)
                .body("result", equalTo("certificate-expired"))
                .body("fallbacks", contains("eligibility-certificate", "insurance-number"));
        // The clinic falls back to the insurance number and date of birth...
        numberCheck(member, "1990-04-01").statusCode(200).body("result", equalTo("covered"))
                .body("coverage.familyName", equalTo("山田"));
        numberCheck(member, "1990-04-02").statusCode(200).body("result", equalTo("not-found")).body("coverage", nullValue());
        // ... or to the 資格確認書 the insurer issued.
        String certificate = given().auth().oauth2(Tokens.insurer(member.clientId())).contentType(ContentType.JSON)
                .body(Map.of("insurerNumber", member.insurerNumber(), "memberId", member.memberId()))
                .post("/api/eligibility-certificates").then().statusCode(201)
                .extract().path("certificateNumber");
        assertThat(certificate).matches("[A-Z2-9]{24}");
        given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION).contentType(ContentType.JSON)
                .body(Map.of("certificateNumber", certificate)).post("/api/eligibility/certificate-checks")
                .then().statusCode(200).body("result", equalTo("covered"));
        given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION).contentType(ContentType.JSON)
                .body(Map.of("certificateNumber", "AAAAAAAAAAAAAAAAAAAAAAAA")).post("/api/eligibility/certificate-checks")
                .then().statusCode(200).body("result", equalTo("not-found"));
        // The resident sees both fallback checks.
        given().auth().oauth2(Tokens.resident(member.linkCode())).get("/api/me/eligibility-checks")
                .then().statusCode(200).body("$", hasSize(2))
                .body("[0].institutionCode", equalTo(Fixtures.INSTITUTION));
    }

    /** Issue 19 ("Also"): a retried certificate request must not make a second certificate. */
    @Test
    void aRetriedCertificateRequestWithItsKeyGetsTheFirstCertificateNeverASecond() {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "花子");
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("insurerNumber", member.insurerNumber(), "memberId", member.memberId());
        String first = given().auth().oauth2(Tokens.insurer(member.clientId())).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(body).post("/api/eligibility-certificates").then().statusCode(201).extract().path("certificateNumber");
        String again = given().auth().oauth2(Tokens.insurer(member.clientId())).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(body).post("/api/eligibility-certificates").then().statusCode(201).extract().path("certificateNumber");
        assertThat(again).isEqualTo(first);
        assertThat(QuarkusTransaction.requiringNew().call(() -> EligibilityCertificate.count("memberId", member.memberId()))).isEqualTo(1);
        given().auth().oauth2(Tokens.insurer(member.clientId())).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("insurerNumber", member.insurerNumber(), "memberId", member.memberId() + 1))
                .post("/api/eligibility-certificates").then().statusCode(409).body("code", equalTo("idempotency-key-reused"));
        // Without a key each request is a new certificate, as before.
        given().auth().oauth2(Tokens.insurer(member.clientId())).contentType(ContentType.JSON)
                .body(body).post("/api/eligibility-certificates").then().statusCode(201);
        assertThat(QuarkusTransaction.requiringNew().call(() -> EligibilityCertificate.count("memberId", member.memberId()))).isEqualTo(2);
    }

    @Test
    void refusesSignatureOverAnotherNonceAndStoresNothing() {
        Cards card = Cards.valid();
        registryKnows(card, "good", "x");
        Map<String, Object> first = challenge();
        Map<String, Object> second = challenge();
        long before = checks();
        cardCheck(card, (String) first.get("challengeId"), card.sign((String) second.get("nonce")))
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("signature-invalid"));
        assertThat(checks()).isEqualTo(before);
        registry.verify(0, postRequestedFor(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate()))));
        // The untouched challenge still works with the right signature, exactly once.
        String signature = card.sign((String) first.get("nonce"));
        cardCheck(card, (String) first.get("challengeId"), signature).statusCode(200);
        cardCheck(card, (String) first.get("challengeId"), signature).statusCode(409).body("code", equalTo("challenge-used"));
    }

    @Test
    void refusesCertificateFromAnotherCa() {
        Cards card = Cards.issuedBy(TestCa.STRANGER, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
        registryKnows(card, "good", "x");
        long before = checks();
        cardCheck(card).statusCode(400).body("code", equalTo("certificate-untrusted"));
        assertThat(checks()).isEqualTo(before);
    }

    @Test
    void refusesGarbageCertificateAndSignature() {
        Map<String, Object> c = challenge();
        given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION).contentType(ContentType.JSON)
                .body(Map.of("challengeId", c.get("challengeId"), "certificate", "not a pem", "signature", "AAAA"))
                .post("/api/eligibility/card-checks").then().statusCode(400).body("code", equalTo("invalid-certificate"));
        Cards card = Cards.valid();
        cardCheck(card, (String) c.get("challengeId"), "%%%").statusCode(400).body("code", equalTo("invalid-signature-encoding"));
        cardCheck(card, "no-such-challenge", "AAAA").statusCode(400).body("code", equalTo("challenge-unknown"));
    }

    // ---- the chain of a certificate is remembered after its first check: nothing else may be

    @Test
    void aRememberedChainStillGivesCardRevokedAndCardSuspendedOnceTheRegistrySaysSo() {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "太郎");
        Cards card = Cards.valid();
        registryKnows(card, "good", member.linkCode());
        cardCheck(card).statusCode(200).body("result", equalTo("covered"));
        cardCheck(card).statusCode(200).body("result", equalTo("covered"));
        registryKnows(card, "suspended", null);
        cardCheck(card).statusCode(200).body("result", equalTo("card-suspended")).body("coverage", nullValue());
        registryKnows(card, "revoked", null);
        cardCheck(card).statusCode(200).body("result", equalTo("card-revoked")).body("coverage", nullValue());
        // every check asked the registry
        registry.verify(4, postRequestedFor(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate()))));
    }

    @Test
    void aRememberedChainDoesNotVouchForTheSameKeyCertifiedByAnotherCa() {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "次郎");
        Cards card = Cards.valid();
        registryKnows(card, "good", member.linkCode());
        cardCheck(card).statusCode(200).body("result", equalTo("covered"));
        Cards copy = card.certifiedAlsoBy(TestCa.STRANGER);
        registryKnows(copy, "good", member.linkCode());
        long before = checks();
        cardCheck(copy).statusCode(400).body("code", equalTo("certificate-untrusted"));
        assertThat(checks()).isEqualTo(before);
    }

    @Test
    void aRememberedChainStillNeedsTheSignatureOverThisVeryNonce() {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "三郎");
        Cards card = Cards.valid();
        registryKnows(card, "good", member.linkCode());
        cardCheck(card).statusCode(200).body("result", equalTo("covered"));
        Map<String, Object> first = challenge();
        Map<String, Object> second = challenge();
        long before = checks();
        cardCheck(card, (String) first.get("challengeId"), card.sign((String) second.get("nonce")))
                .statusCode(400).body("code", equalTo("signature-invalid"));
        cardCheck(card, (String) first.get("challengeId"), "AAAA")
                .statusCode(400).body("code", equalTo("signature-invalid"));
        // another card's signature over the right nonce does not pass under this certificate either
        cardCheck(card, (String) first.get("challengeId"), Cards.valid().sign((String) first.get("nonce")))
                .statusCode(400).body("code", equalTo("signature-invalid"));
        assertThat(checks()).isEqualTo(before);
        registry.verify(1, postRequestedFor(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate()))));
    }

    @Test
    void aReplayedChallengeRecordsNothingAndIsAConflict() {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "四郎");
        Cards card = Cards.valid();
        registryKnows(card, "good", member.linkCode());
        Map<String, Object> c = challenge();
        String signature = card.sign((String) c.get("nonce"));
        cardCheck(card, (String) c.get("challengeId"), signature).statusCode(200).body("result", equalTo("covered"));
        long before = checks();
        cardCheck(card, (String) c.get("challengeId"), signature).statusCode(409).body("code", equalTo("challenge-used"));
        assertThat(checks()).isEqualTo(before);
    }

    // ---- challenges are self-contained (HMAC): issuing writes nothing, the check's UNIQUE nonce id spends them

    @Inject
    InsuranceConfig config;

    static ValidatableResponse cardCheckAs(String token, String institution, Cards card, String challengeId, String signature) {
        return given().auth().oauth2(token).header("X-Institution-Code", institution).contentType(ContentType.JSON)
                .body(Map.of("challengeId", challengeId, "certificate", card.authCertificate(), "signature", signature))
                .post("/api/eligibility/card-checks").then();
    }

    @Test
    void sameSignedChallengeSentTwentyTimesAtOnceIsAnsweredOnce() throws Exception {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "五郎");
        Cards card = Cards.valid();
        registryKnows(card, "good", member.linkCode());
        Map<String, Object> c = challenge();
        String challengeId = (String) c.get("challengeId");
        String signature = card.sign((String) c.get("nonce"));
        long before = checks();
        int n = 20;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return cardCheck(card, challengeId, signature).extract();
            }));
        }
        start.countDown();
        int covered = 0;
        int used = 0;
        for (Future<ExtractableResponse<Response>> answer : answers) {
            ExtractableResponse<Response> r = answer.get(60, TimeUnit.SECONDS);
            if (r.statusCode() == 200) {
                assertThat(r.jsonPath().getString("result")).isEqualTo("covered");
                covered++;
            } else {
                assertThat(r.statusCode()).isEqualTo(409);
                assertThat(r.jsonPath().getString("code")).isEqualTo("challenge-used");
                used++;
            }
        }
        pool.shutdown();
        assertThat(covered).isEqualTo(1);
        assertThat(used).isEqualTo(n - 1);
        assertThat(checks()).isEqualTo(before + 1);
    }

    @Test
    void expiredChallengeIsRefusedAndStoresNothing() {
        Cards card = Cards.valid();
        registryKnows(card, "good", "x");
        // A challenge this service issued with its own key, two seconds past its expiry.
        Challenges.Issued old = new Challenges(Base64.getDecoder().decode(config.eligibility().nonceKey()), Duration.ofSeconds(-2))
                .issue(new Facility("demo-facility", Fixtures.INSTITUTION));
        long before = checks();
        cardCheck(card, old.challengeId(), card.sign(old.nonce()))
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("challenge-expired"));
        assertThat(checks()).isEqualTo(before);
        registry.verify(0, postRequestedFor(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate()))));
    }

    @Test
    void challengeOfAnotherFacilityOrInstitutionIsUnknownAndStoresNothing() {
        Cards card = Cards.valid();
        registryKnows(card, "good", "x");
        Map<String, Object> c = challenge();
        String challengeId = (String) c.get("challengeId");
        String signature = card.sign((String) c.get("nonce"));
        long before = checks();
        cardCheckAs(Tokens.organisation("other-clinic", "facility"), Fixtures.INSTITUTION, card, challengeId, signature)
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("challenge-unknown"));
        cardCheckAs(Tokens.facility(), "2735678901", card, challengeId, signature)
                .statusCode(400).body("code", equalTo("challenge-unknown"));
        assertThat(checks()).isEqualTo(before);
        registry.verify(0, postRequestedFor(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate()))));
        // The facility it was issued to can still use it.
        cardCheck(card, challengeId, signature).statusCode(200);
    }

    @Test
    void alteredChallengeIsUnknownEvenWhenTheCardSignedTheAlteredBytes() {
        Cards card = Cards.valid();
        registryKnows(card, "good", "x");
        String challengeId = (String) challenge().get("challengeId");
        byte[] bytes = Base64.getUrlDecoder().decode(challengeId);
        long before = checks();
        for (int i = 0; i < bytes.length; i++) {
            byte[] altered = bytes.clone();
            altered[i] ^= 0x01; // e.g. a later expiry, another random id, another MAC
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(altered);
            cardCheck(card, forged, card.sign(forged)).statusCode(400).body("code", equalTo("challenge-unknown"));
        }
        String padded = challengeId + "AAAA";
        cardCheck(card, padded, card.sign(padded)).statusCode(400).body("code", equalTo("challenge-unknown"));
        cardCheck(card, "!!not base64!!", "AAAA").statusCode(400).body("code", equalTo("challenge-unknown"));
        assertThat(checks()).isEqualTo(before);
        registry.verify(0, postRequestedFor(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate()))));
    }

    @Test
    void issuingAChallengeStoresNothingAndEachIsNew() {
        long before = checks();
        Map<String, Object> first = challenge();
        Map<String, Object> second = challenge();
        assertThat(first.get("challengeId")).isNotEqualTo(second.get("challengeId"));
        assertThat((String) first.get("challengeId")).hasSizeLessThanOrEqualTo(64);
        assertThat(first.get("expiresAt")).isNotNull();
        assertThat(checks()).isEqualTo(before);
    }

    @ParameterizedTest
    @CsvSource({"fault", "500"})
    void registryDownDuringACheckIsRegistryUnavailableNeverNotInsured(String failure) {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "花子");
        Cards card = Cards.valid();
        registry.stubFor(post(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate())))
                .willReturn(failure.equals("fault") ? aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)
                        : aResponse().withStatus(500)));
        cardCheck(card).statusCode(503).contentType("application/problem+json")
                .body("code", equalTo("registry-unavailable")).body("result", nullValue());
        // The fallback does not need the registry.
        numberCheck(member, "1990-04-01").statusCode(200).body("result", equalTo("covered"));
    }

    @Test
    void slowRegistryIsRegistryUnavailableAfterOneCallNotThree() {
        Cards card = Cards.valid();
        registry.stubFor(post(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate())))
                .willReturn(okJson("{\"status\":\"good\",\"linkCode\":\"x\"}").withFixedDelay(4000)));
        cardCheck(card).statusCode(503).contentType("application/problem+json")
                .body("code", equalTo("registry-unavailable")).body("result", nullValue());
        // A timed-out call is not retried: an overloaded registry would get three times the load.
        registry.verify(1, postRequestedFor(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate()))));
    }

    @Test
    void overloadedNodeRefusesTheExtraCheckAsBusyAndItsChallengeStillWorksAfterwards() throws Exception {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "六郎");
        Cards card = Cards.valid();
        registryKnows(card, "good", member.linkCode());
        Map<String, Object> c = challenge();
        String signature = card.sign((String) c.get("nonce"));
        // Every slot taken by checks in progress (stand-ins that wait for the test, so no timing decides the outcome).
        int slots = config.eligibility().maxChecksInFlight();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(slots);
        try {
            for (int i = 0; i < slots; i++) {
                pool.submit(() -> admission.admit(() -> {
                    try {
                        return release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admission.inFlight() == slots);
            long before = checks();
            cardCheck(card, (String) c.get("challengeId"), signature).statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", "1")
                    .body("code", equalTo("busy")).body("result", nullValue());
            assertThat(checks()).isEqualTo(before);
        } finally {
            release.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(admission.inFlight()).isZero();
        // The refused check spent nothing: the clinic retries with the very same signed challenge.
        cardCheck(card, (String) c.get("challengeId"), signature).statusCode(200).body("result", equalTo("covered"));
    }

    @Test
    void anExhaustedConnectionPoolIsA503BusyNeverA500() throws Exception {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "七郎");
        // Every connection of the pool taken (by this test, standing in for a burst of slow work), the card writer's
        // kept one included.
        List<java.sql.Connection> held = org.myna.platform.testkit.Pools.exhaust(dataSource);
        try {
            numberCheck(member, "1990-04-01").statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "1").body("code", equalTo("busy"));
        } finally {
            for (java.sql.Connection c : held) {
                c.close();
            }
        }
        numberCheck(member, "1990-04-01").statusCode(200).body("result", equalTo("covered"));
    }

    @ParameterizedTest
    @CsvSource({"'', institution-code-required", "131234567, invalid-institution-code", "4812345678, invalid-institution-code",
            "0012345678, invalid-institution-code", "1322345678, invalid-institution-code", "13123456x8, invalid-institution-code"})
    void refusesMissingOrMalformedInstitutionCode(String code, String problem) {
        var request = given().auth().oauth2(Tokens.facility());
        if (!code.isEmpty()) {
            request.header("X-Institution-Code", code);
        }
        request.post("/api/eligibility/challenges").then().statusCode(400).body("code", equalTo(problem));
    }

    @Test
    void acceptsInstitutionCodeFromTheTokenAndDentalPointTable() {
        String token = Jwt.issuer("https://registry.myna.local").subject("dental-clinic").audience(Set.of("insurance"))
                .groups(Set.of("facility")).claim("institution_code", "2735678901").expiresIn(300).sign();
        given().auth().oauth2(token).post("/api/eligibility/challenges").then().statusCode(201);
        given().auth().oauth2(token).header("X-Institution-Code", "1312345678")
                .post("/api/eligibility/challenges").then().statusCode(400).body("code", equalTo("institution-code-conflict"));
    }

    @Test
    void onlyFacilitiesCheckAndOnlyResidentsReadTheirOwn() {
        given().auth().oauth2(Tokens.insurer("someone")).header("X-Institution-Code", Fixtures.INSTITUTION)
                .post("/api/eligibility/challenges").then().statusCode(403);
        given().auth().oauth2(Tokens.operation("code")).get("/api/me/coverage").then().statusCode(403);
        given().auth().oauth2(Tokens.facility()).get("/api/me/coverage").then().statusCode(403);
        given().get("/api/me/coverage").then().statusCode(401);
        given().auth().oauth2(Tokens.resident("nobody-has-this-code")).get("/api/me/coverage")
                .then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void residentSeesCardChecksOnThem() {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "花子");
        Cards card = Cards.valid();
        registryKnows(card, "good", member.linkCode());
        cardCheck(card).statusCode(200).body("result", equalTo("covered"));
        given().auth().oauth2(Tokens.resident(member.linkCode())).get("/api/me/eligibility-checks")
                .then().statusCode(200).body("$", hasSize(1))
                .body("[0].method", equalTo("card")).body("[0].result", equalTo("covered"))
                .body("[0].institutionCode", equalTo(Fixtures.INSTITUTION));
    }
}
