package org.myna.insurance.cardreplica;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.Cards;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.Tokens;
import org.myna.platform.cardstanding.CardStandingFeed;
import org.myna.platform.hash.Sha256;

import java.io.StringReader;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The clinic's card check answered from the card replica, and every way it must not be: a stale replica, a card the
 * replica never heard of, a revocation whose event is blocked, a bulk revocation applied while clinics check.
 * The fake registry answers holder-link with 500 unless a test stubs it, so "covered" with no stub proves the replica
 * answered, and a test that needs the registry asked verifies the request.
 */
@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
@TestProfile(CardReplicaTest.Bound.class)
class CardReplicaTest {

    public static class Bound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("myna.card-standing.max-staleness", "PT2S");
        }
    }

    static final Duration BOUND = Duration.ofSeconds(2);

    @InjectRegistryMock
    WireMockServer registry;

    @Inject
    CardReplica replica;

    @Inject
    MeterRegistry meters;

    @Inject
    CardStandingFeed feed;

    static String fingerprint(Cards card) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(card.authCertificate()))) {
            return Sha256.hex(((X509CertificateHolder) parser.readObject()).getEncoded());
        }
    }

    /** Delivers a card event as the registry's dispatcher does. */
    static void event(String type, String hash, String linkCode, OffsetDateTime at) {
        Map<String, Object> body = new HashMap<>(Map.of("eventId", UUID.randomUUID().toString(), "type", type,
                "linkCode", linkCode, "occurredAt", at.toString(), "certificateHash", hash, "cardRef", hash.substring(0, 22)));
        given().auth().oauth2(Tokens.organisation("registry-service", "service")).contentType(ContentType.JSON)
                .body(body).post("/api/events").then().statusCode(204);
    }

    /** The registry's low watermark: every event committed before {@code watermark} was delivered. */
    static void watermark(OffsetDateTime watermark) {
        given().auth().oauth2(Tokens.organisation("registry-service", "service")).contentType(ContentType.JSON)
                .body(Map.of("watermark", watermark.toString(), "asOf", OffsetDateTime.now().toString()))
                .post("/api/events/watermark").then().statusCode(204);
    }

    static void freshWatermark() {
        watermark(OffsetDateTime.now().minusNanos(200_000_000));
    }

    static ValidatableResponse cardCheck(Cards card) {
        Map<?, ?> c = given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION)
                .post("/api/eligibility/challenges").then().statusCode(201).extract().as(Map.class);
        return given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION)
                .contentType(ContentType.JSON)
                .body(Map.of("challengeId", c.get("challengeId"), "certificate", card.authCertificate(),
                        "signature", card.sign((String) c.get("nonce"))))
                .post("/api/eligibility/card-checks").then();
    }

    void registrySays(Cards card, String status, String linkCode) {
        registry.stubFor(post(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate())))
                .willReturn(okJson("{\"status\":\"" + status + "\"" + (linkCode == null ? "" : ",\"linkCode\":\"" + linkCode + "\"") + "}")));
    }

    int registryAsked(Cards card) {
        return registry.findAll(postRequestedFor(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate())))).size();
    }

    double counter(String name, String... tags) {
        var search = meters.find(name);
        if (tags.length > 0) {
            search = search.tags(tags);
        }
        return Optional.ofNullable(search.counter()).map(c -> c.count()).orElse(0.0);
    }

    /** Until the replica may answer (the watermark is resent until a check sees it fresh: the machine may be slow). */
    void whileFresh(Runnable check) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            freshWatermark();
            check.run();
        });
    }

    /**
     * As {@link #whileFresh}, and the attempt that passes must not have asked the registry: attempts made while the
     * feed was still stale (a slow machine) fall back to the registry by design and do not count.
     */
    void whileFreshFromReplica(Cards card, Runnable check) {
        whileFresh(() -> {
            int asked = registryAsked(card);
            check.run();
            assertThat(registryAsked(card)).as("the registry was asked for a card the replica knows").isEqualTo(asked);
        });
    }

    @Test
    void aKnownCardIsAnsweredFromTheReplicaWithoutTheRegistry() throws Exception {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "花子");
        Cards card = Cards.valid();
        event(CardReplica.CARD_ISSUED, fingerprint(card), member.linkCode(), OffsetDateTime.now().minusSeconds(2));
        event(CardReplica.CARD_ACTIVATED, fingerprint(card), member.linkCode(), OffsetDateTime.now().minusSeconds(1));
        double hits = counter("myna.card-replica.hits");
        whileFreshFromReplica(card, () -> cardCheck(card).statusCode(200).body("result", equalTo("covered"))
                .body("coverage.familyName", equalTo("山田")));
        assertThat(counter("myna.card-replica.hits")).isGreaterThan(hits);
        // The resident sees the check, as with the registry on the path.
        given().auth().oauth2(Tokens.resident(member.linkCode())).get("/api/me/eligibility-checks").then().statusCode(200)
                .body("[0].result", equalTo("covered"));
    }

    @Test
    void aCardActivatedAMomentAgoIsCoveredThoughTheReplicaHasOnlyHeardOfItsIssue() throws Exception {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "次郎");
        Cards card = Cards.valid();
        // The feed is fresh, yet the activation's event may be inside its bound, not yet here: the registry settles it.
        event(CardReplica.CARD_ISSUED, fingerprint(card), member.linkCode(), OffsetDateTime.now().minusSeconds(1));
        registrySays(card, "good", member.linkCode());
        double notActive = counter("myna.card-replica.fallbacks", "reason", "not-active");
        whileFresh(() -> cardCheck(card).statusCode(200).body("result", equalTo("covered")));
        assertThat(registryAsked(card)).isPositive();
        assertThat(counter("myna.card-replica.fallbacks", "reason", "not-active")).isGreaterThan(notActive);
    }

    @Test
    void aSuspendedOrNotYetActivatedCardIsAskedOfTheRegistryAndResumedItIsCoveredFromTheReplica() throws Exception {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "太郎");
        Cards card = Cards.valid();
        String hash = fingerprint(card);
        registrySays(card, "suspended", member.linkCode());
        event(CardReplica.CARD_ISSUED, hash, member.linkCode(), OffsetDateTime.now().minusSeconds(3));
        whileFresh(() -> cardCheck(card).statusCode(200).body("result", equalTo("card-suspended")));
        event(CardReplica.CARD_ACTIVATED, hash, member.linkCode(), OffsetDateTime.now().minusSeconds(2));
        event(CardReplica.CARD_SUSPENDED, hash, member.linkCode(), OffsetDateTime.now().minusSeconds(1));
        int asked = registryAsked(card);
        whileFresh(() -> cardCheck(card).statusCode(200).body("result", equalTo("card-suspended")));
        assertThat(registryAsked(card)).isGreaterThan(asked);
        event(CardReplica.CARD_RESUMED, hash, member.linkCode(), OffsetDateTime.now());
        whileFreshFromReplica(card, () -> cardCheck(card).statusCode(200).body("result", equalTo("covered")));
        // A revocation is final, and answered from the replica: a late activation of the same card changes nothing.
        event(CardReplica.CARD_REVOKED, hash, member.linkCode(), OffsetDateTime.now());
        event(CardReplica.CARD_ACTIVATED, hash, member.linkCode(), OffsetDateTime.now().plusSeconds(1));
        whileFreshFromReplica(card, () -> cardCheck(card).statusCode(200).body("result", equalTo("card-revoked")));
    }

    @Test
    void aStaleReplicaAsksTheRegistry() throws Exception {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "佐藤", "一郎");
        Cards card = Cards.valid();
        event(CardReplica.CARD_ACTIVATED, fingerprint(card), member.linkCode(), OffsetDateTime.now().minusSeconds(1));
        registrySays(card, "revoked", null);
        double stale = counter("myna.card-replica.fallbacks", "reason", "stale");
        // No watermark for longer than the bound (the registry's dispatcher stopped): ask the registry. (A watermark older
        // than one already received changes nothing, so the test waits rather than sending an old one.)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !feed.fresh());
        cardCheck(card).statusCode(200).body("result", equalTo("card-revoked"));
        assertThat(registryAsked(card)).isEqualTo(1);
        assertThat(counter("myna.card-replica.fallbacks", "reason", "stale")).isGreaterThan(stale);
    }

    @Test
    void aCardUnknownToTheReplicaIsAskedOfTheRegistryNeverAnsweredNotLinked() throws Exception {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "鈴木", "次郎");
        Cards card = Cards.valid();
        // Fresh, but the replica never heard of this card; the registry fails: unknown, not denied.
        whileFresh(() -> cardCheck(card).statusCode(503).body("code", equalTo("registry-unavailable")));
        registrySays(card, "good", member.linkCode());
        double unknown = counter("myna.card-replica.fallbacks", "reason", "unknown");
        whileFresh(() -> cardCheck(card).statusCode(200).body("result", equalTo("covered")));
        assertThat(registryAsked(card)).isGreaterThanOrEqualTo(2);
        assertThat(counter("myna.card-replica.fallbacks", "reason", "unknown")).isGreaterThan(unknown);
    }

    @Test
    void aRevokedCardWhoseEventIsBlockedIsRefusedOnceTheBoundPasses() throws Exception {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "高橋", "三郎");
        Cards card = Cards.valid();
        event(CardReplica.CARD_ACTIVATED, fingerprint(card), member.linkCode(), OffsetDateTime.now().minusSeconds(1));
        whileFresh(() -> cardCheck(card).statusCode(200).body("result", equalTo("covered")));
        // The registry revokes the card; its event fails to deliver, so each pass's watermark stays at the revocation.
        OffsetDateTime revokedAt = OffsetDateTime.now();
        registrySays(card, "revoked", null);
        long deadline = System.nanoTime() + BOUND.toNanos() + 100_000_000;
        while (System.nanoTime() < deadline) {
            watermark(revokedAt);
            Thread.sleep(100);
        }
        watermark(revokedAt);
        // More than the bound after the revocation, whatever was delivered: refused, by the registry.
        cardCheck(card).statusCode(200).body("result", equalTo("card-revoked"));
        assertThat(registryAsked(card)).isGreaterThanOrEqualTo(1);
    }

    /**
     * A thousand cards revoked at once: half of the events delivered (from four threads, each event twice, while
     * clinics check), half blocked. Once the bound has passed every one of them is refused at the clinic: the
     * delivered ones by the replica, the blocked ones by the registry. No check ever fails meanwhile.
     */
    @Test
    void aBulkRevocationOfAThousandCardsIsVisibleAtTheClinicWithinTheBound() throws Exception {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "伊藤", "四郎");
        int n = 1_000;
        List<Cards> sampled = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < n; i++) {
            if (i % 50 == 0) { // every 50th a real card that a clinic checks (20 cards, 10 delivered, 10 blocked)
                Cards card = Cards.valid();
                sampled.add(card);
                hashes.add(fingerprint(card));
            } else {
                byte[] b = new byte[32];
                random.nextBytes(b);
                hashes.add(HexFormat.of().formatHex(b));
            }
        }
        OffsetDateTime activatedAt = OffsetDateTime.now().minusSeconds(5);
        QuarkusTransaction.requiringNew().run(() -> hashes.forEach(h -> replica.apply(CardReplica.CARD_ACTIVATED, h,
                member.linkCode(), null, activatedAt)));
        whileFresh(() -> cardCheck(sampled.get(0)).statusCode(200).body("result", equalTo("covered")));

        OffsetDateTime revokedAt = OffsetDateTime.now();
        for (Cards card : sampled) {
            registrySays(card, "revoked", null);
        }
        // Events of even indexes are delivered, odd ones blocked (the sampled cards alternate: index 0, 50, 100, ...).
        List<Map<String, Object>> delivered = new ArrayList<>();
        for (int i = 0; i < n; i += 2) {
            // Each event names its card for the tokens too (cardRef), as the registry's do.
            delivered.add(Map.of("eventId", UUID.randomUUID().toString(), "type", CardReplica.CARD_REVOKED,
                    "linkCode", member.linkCode(), "occurredAt", revokedAt.toString(), "certificateHash", hashes.get(i),
                    "cardRef", "card-" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                work.add(pool.submit(() -> {
                    // Each event goes out twice, from two threads: a redelivery racing the delivery.
                    for (int i = offset % 2; i < delivered.size(); i += 2) {
                        given().auth().oauth2(Tokens.organisation("registry-service", "service")).contentType(ContentType.JSON)
                                .body(delivered.get(i)).post("/api/events").then().statusCode(204);
                    }
                }));
            }
            List<String> answers = java.util.Collections.synchronizedList(new ArrayList<>());
            work.add(pool.submit(() -> {
                for (int round = 0; round < 2; round++) {
                    for (Cards card : sampled) {
                        answers.add(cardCheck(card).statusCode(200).extract().path("result"));
                    }
                }
            }));
            for (Future<?> f : work) {
                f.get(5, TimeUnit.MINUTES);
            }
            // While the events arrive a check answers from before or after the revocation, never anything else.
            assertThat(answers).isNotEmpty().allMatch(a -> a.equals("covered") || a.equals("card-revoked"));
        } finally {
            pool.shutdownNow();
        }
        // The delivered half is in the replica, each once.
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < n; i++) {
                String status = replica.find(hashes.get(i)).orElseThrow().status();
                assertThat(status).as("card %d", i).isEqualTo(i % 2 == 0 ? "revoked" : "good");
            }
        });
        // The registry's watermark stays at the blocked revocations; once the bound has passed, every card is refused.
        long deadline = System.nanoTime() + BOUND.toNanos() + 100_000_000;
        while (System.nanoTime() < deadline) {
            watermark(revokedAt);
            Thread.sleep(100);
        }
        watermark(revokedAt);
        for (Cards card : sampled) {
            cardCheck(card).statusCode(200).body("result", equalTo("card-revoked"));
        }
        // When the blocked half is delivered and the watermark moves on, the replica answers all of them again.
        for (int i = 1; i < n; i += 2) {
            event(CardReplica.CARD_REVOKED, hashes.get(i), member.linkCode(), revokedAt);
        }
        int asked = sampled.stream().mapToInt(this::registryAsked).sum();
        whileFresh(() -> cardCheck(sampled.get(1)).statusCode(200).body("result", equalTo("card-revoked")));
        for (Cards card : sampled) {
            freshWatermark(); // as the dispatcher does after each pass
            cardCheck(card).statusCode(200).body("result", equalTo("card-revoked"));
        }
        // (A pause of this loaded machine longer than the bound between a watermark and a check would ask the registry.)
        assertThat(sampled.stream().mapToInt(this::registryAsked).sum()).isLessThanOrEqualTo(asked + 2);
    }
}
