package org.myna.registry.seal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.myna.registry.accesslog.AccessLogEntry;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

@QuarkusTest
class SealRegistrationTest {

    @Inject
    EntityManager em;

    static String adult() {
        return SealFixtures.resident(Residents.body("印鑑", "登録", "インカン", "トウロク", "1980-05-05"));
    }

    long residentId(long sealId) {
        return QuarkusTransaction.requiringNew().call(() -> Seal.<Seal>findById(sealId).residentId);
    }

    long sealsOf(String number) {
        // Resolve through the API-free path: the seal tables hold resident ids, the test knows only the number.
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select count(s) from Seal s, Resident r where s.residentId = r.id and r.numberHmac = :h", Long.class)
                .setParameter("h", hmac(number)).getSingleResult());
    }

    @Inject
    org.myna.registry.resident.NumberVault vault;

    String hmac(String number) {
        return vault.lookupHash(org.myna.registry.resident.IndividualNumber.parse(number));
    }

    @Test
    void registersSealWithHashAndUnguessableCardNumber() {
        String number = adult();
        byte[] png = SealFixtures.png();
        Response r = SealFixtures.postSeal(number, SealFixtures.body(png, "image/png"));
        r.then().statusCode(201)
                .body("registrationCardNumber", matchesPattern("[A-Z2-9]{16}"))
                .body("version", equalTo(0))
                .body("imageSha256", equalTo(ImageInspector.sha256(png)));
        long sealId = r.jsonPath().getLong("sealId");
        QuarkusTransaction.requiringNew().run(() -> {
            Seal seal = Seal.findById(sealId);
            assertThat(seal.status).isEqualTo("active");
            assertThat(seal.activeResidentId).isEqualTo(seal.residentId);
            assertThat(SealImage.<SealImage>findById(sealId).image).isEqualTo(png);
            assertThat(AccessLogEntry.count("residentId = ?1 and purpose = 'seal-registration'", seal.residentId)).isEqualTo(1);
        });
    }

    @Test
    void acceptsJpeg() {
        SealFixtures.postSeal(adult(), SealFixtures.body(SealFixtures.image("jpeg", 80, 80, 7), "image/jpeg"))
                .then().statusCode(201);
    }

    @Test
    void refusesResidentUnderFifteen() {
        String fourteen = LocalDate.now(SealService.JAPAN).minusYears(15).plusDays(1).toString();
        String number = SealFixtures.resident(Residents.body("子供", "太郎", "コドモ", "タロウ", fourteen));
        SealFixtures.postSeal(number, SealFixtures.body(SealFixtures.png(), "image/png"))
                .then().statusCode(422).body("code", equalTo("too-young"));
        assertThat(sealsOf(number)).isZero();
        String fifteen = LocalDate.now(SealService.JAPAN).minusYears(15).toString();
        SealFixtures.registerSeal(SealFixtures.resident(Residents.body("子供", "次郎", "コドモ", "ジロウ", fifteen)));
    }

    @Test
    void refusesDeceasedResident() {
        String number = adult();
        given().auth().oauth2(SealFixtures.clerk()).contentType(ContentType.JSON).body(Map.of("number", number, "dateOfDeath", "2024-01-01"))
                .post("/api/residents/deaths").then().statusCode(200);
        SealFixtures.postSeal(number, SealFixtures.body(SealFixtures.png(), "image/png"))
                .then().statusCode(409).body("code", equalTo("resident-deceased"));
        assertThat(sealsOf(number)).isZero();
    }

    @Test
    void refusesOversizeImageAndStoresNothing() {
        String number = adult();
        byte[] big = new byte[204_801];
        new SecureRandom().nextBytes(big);
        System.arraycopy(SealFixtures.png(), 0, big, 0, 8);
        SealFixtures.postSeal(number, SealFixtures.body(big, "image/png"))
                .then().statusCode(413).contentType("application/problem+json").body("code", equalTo("image-too-large"));
        assertThat(sealsOf(number)).isZero();
    }

    @Test
    void refusesWhatIsNotADecodableImageAndStoresNothing() {
        String number = adult();
        byte[] png = SealFixtures.png();
        byte[] truncated = java.util.Arrays.copyOf(png, 40);
        byte[] magicThenGarbage = java.util.Arrays.copyOf(png, png.length);
        for (int i = 16; i < magicThenGarbage.length; i++) {
            magicThenGarbage[i] = (byte) i;
        }
        for (byte[] bad : List.of("%PDF-1.7 not a seal".getBytes(), truncated, magicThenGarbage, new byte[]{(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0})) {
            SealFixtures.postSeal(number, SealFixtures.body(bad, bad[0] == (byte) 0xff ? "image/jpeg" : "image/png"))
                    .then().statusCode(400).body("code", equalTo("not-an-image"));
        }
        SealFixtures.postSeal(number, Map.of("image", "***not base64***", "mediaType", "image/png"))
                .then().statusCode(400).body("code", equalTo("not-an-image"));
        SealFixtures.postSeal(number, SealFixtures.body(png, "image/jpeg"))
                .then().statusCode(400).body("code", equalTo("media-type-mismatch"));
        SealFixtures.postSeal(number, SealFixtures.body(png, "image/gif"))
                .then().statusCode(400).body("code", equalTo("unsupported-media-type"));
        SealFixtures.postSeal(number, SealFixtures.body(SealFixtures.image("png", 2001, 1, 0), "image/png"))
                .then().statusCode(400).body("code", equalTo("image-dimensions-out-of-range"));
        SealFixtures.postSeal(number, Map.of("mediaType", "image/png"))
                .then().statusCode(400).body("code", equalTo("not-an-image"));
        assertThat(sealsOf(number)).isZero();
    }

    @Test
    void refusesMalformedNumberWithoutEchoingIt() {
        SealFixtures.postSeal("123456789012", SealFixtures.body(SealFixtures.png(), "image/png"))
                .then().statusCode(400).body("code", equalTo("invalid-number"));
    }

    @Test
    void refusesSealForOtherRoles() {
        given().auth().oauth2(Tokens.of("demo-insurer")).contentType(ContentType.JSON)
                .body(withNumber(adult(), SealFixtures.body(SealFixtures.png(), "image/png"))).post("/api/seals")
                .then().statusCode(403);
    }

    @Test
    void allowsOneActiveSealPerResidentEvenUnderConcurrency() throws Exception {
        String number = adult();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return SealFixtures.postSeal(number, SealFixtures.body(SealFixtures.png(), "image/png")).statusCode();
                }));
            }
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : results) {
                codes.add(f.get());
            }
            assertThat(codes).filteredOn(c -> c == 201).hasSize(1);
            assertThat(codes).filteredOn(c -> c != 201).allMatch(c -> c == 409);
        } finally {
            pool.shutdownNow();
        }
        assertThat(sealsOf(number)).isEqualTo(1);
    }

    @Test
    void databaseRefusesASecondActiveSealWrittenBehindTheServicesBack() {
        long sealId = SealFixtures.registerSeal(adult()).jsonPath().getLong("sealId");
        long resident = residentId(sealId);
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "insert into registry.seal (id, resident_id, active_resident_id, registration_card_number, status, image_sha256,"
                        + " media_type, version, registered_at) values (-1, ?1, ?1, 'FORGEDCARD', 'active', 'x', 'image/png', 0, current_timestamp)")
                .setParameter(1, resident).executeUpdate()))
                .satisfies(e -> assertThat(org.myna.platform.persistence.Constraints.violated(e, "uq_seal_active_resident")).isTrue());
        assertThat(QuarkusTransaction.requiringNew().call(() -> Seal.count("residentId", resident))).isEqualTo(1);
    }

    @Test
    void secondRegistrationIsRefusedUntilTheFirstIsDeregistered() {
        String number = adult();
        long sealId = SealFixtures.registerSeal(number).jsonPath().getLong("sealId");
        SealFixtures.postSeal(number, SealFixtures.body(SealFixtures.png(), "image/png"))
                .then().statusCode(409).body("code", equalTo("seal-already-registered"));
        SealFixtures.deregister(sealId, "resident-request").then().statusCode(200)
                .body("status", equalTo("deregistered")).body("reason", equalTo("resident-request")).body("version", equalTo(1));
        SealFixtures.deregister(sealId, "resident-request").then().statusCode(409).body("code", equalTo("seal-deregistered"));
        SealFixtures.registerSeal(number);
        assertThat(sealsOf(number)).isEqualTo(2);
    }

    @Test
    void deregistrationNeedsAKnownReasonAndAKnownSeal() {
        long sealId = SealFixtures.registerSeal(adult()).jsonPath().getLong("sealId");
        SealFixtures.deregister(sealId, "because").then().statusCode(400).body("code", equalTo("invalid-reason"));
        SealFixtures.deregister(Long.MAX_VALUE, "resident-request").then().statusCode(404).body("code", equalTo("seal-not-found"));
        given().auth().oauth2(SealFixtures.clerk()).contentType(ContentType.JSON).body(Map.of("reason", "resident-request"))
                .post("/api/seals/abc/deregistration").then().statusCode(404);
        QuarkusTransaction.requiringNew().run(() -> assertThat(Seal.<Seal>findById(sealId).isActive()).isTrue());
    }

    private static Map<String, Object> withNumber(String number, Map<String, Object> body) {
        Map<String, Object> all = new java.util.HashMap<>(body);
        all.put("number", number);
        return all;
    }
}
