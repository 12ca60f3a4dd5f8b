package org.myna.registry.seal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.registry.auth.SigningKeys;
import org.myna.registry.linkcode.LinkCodeService;
import org.myna.registry.resident.Resident;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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

/**
 * A thousand residents at a thousand kiosks at once: every certificate names exactly the resident whose token asked
 * for it, in the response, in the signed document and in the database. Plain java.net.http and Jackson instead of
 * rest-assured, whose per-request cost would dominate the measurement.
 */
@QuarkusTest
class KioskThousandTest {

    static final int RESIDENTS = 1000;

    @Inject
    SigningKeys keys;

    @Inject
    LinkCodeService links;

    @Inject
    ObjectMapper json;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    URI uri(String path) {
        return URI.create("http://localhost:" + RestAssured.port + path);
    }

    HttpResponse<String> post(String path, String bearer, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Test
    void thousandParallelKioskRequestsEachGetTheirOwnCertificate() throws Exception {
        long t0 = System.nanoTime();
        List<Map<String, Object>> records = new ArrayList<>();
        String batch = "seal-kiosk-" + System.nanoTime();
        for (int i = 0; i < RESIDENTS; i++) {
            records.add(Map.of("ref", "k" + i, "resident", Residents.body("端末", "民" + i, "タンマツ", "タミ", "1970-01-01")));
        }
        List<String> numbers = given().auth().oauth2(SealFixtures.clerk()).contentType(ContentType.JSON)
                .body(Map.of("batchId", batch, "records", records)).post("/api/residents/batch")
                .then().statusCode(200).body("created", equalTo(RESIDENTS)).extract().path("results.number");
        String clerk = SealFixtures.clerk();
        String image = Base64.getEncoder().encodeToString(SealFixtures.image("png", 24, 24, 3));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> registrations = new ArrayList<>();
            for (String number : numbers) {
                registrations.add(pool.submit(() -> {
                    HttpResponse<String> r = post("/api/seals", clerk,
                            json.writeValueAsString(Map.of("number", number, "mediaType", "image/png", "image", image)));
                    assertThat(r.statusCode()).isEqualTo(201);
                    return json.readTree(r.body()).get("sealId").asLong();
                }));
            }
            List<Long> sealIds = new ArrayList<>();
            for (Future<Long> f : registrations) {
                sealIds.add(f.get());
            }
            long t1 = System.nanoTime();
            Map<Long, Long> residentBySeal = new HashMap<>();
            Map<Long, String> givenNameOf = new HashMap<>();
            QuarkusTransaction.requiringNew().run(() -> {
                Seal.<Seal>list("id in ?1", sealIds).forEach(seal -> residentBySeal.put(seal.id, seal.residentId));
                Resident.<Resident>list("id in ?1", residentBySeal.values()).forEach(r -> givenNameOf.put(r.id, r.givenName));
            });
            List<String> codes = new ArrayList<>();
            Map<String, Long> residentByCode = new HashMap<>();
            for (long sealId : sealIds) {
                String code = links.codeFor(residentBySeal.get(sealId), "registry");
                codes.add(code);
                residentByCode.put(code, residentBySeal.get(sealId));
            }

            // Each resident's card, as the card login would have found it; not part of the measured issuance.
            codes.forEach(org.myna.registry.support.CardRows::serialFor);

            long started = System.nanoTime();
            long cpuBefore = cpuNanos();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (String code : codes) {
                answers.add(pool.submit(() -> {
                    go.await();
                    // Minted just before use, as the kiosk gets it after the card PIN: one minute, one use.
                    return post("/api/kiosk/seal-certificates", SealFixtures.kioskToken(keys, code), null);
                }));
            }
            go.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : answers) {
                responses.add(f.get());
            }
            long wallMillis = (System.nanoTime() - started) / 1_000_000;
            long cpuMillis = (cpuNanos() - cpuBefore) / 1_000_000;
            System.out.printf("kiosk test: residents+seals %d ms, link codes %d ms, %d kiosk issuances %d ms wall, %d ms process CPU%n",
                    (t1 - t0) / 1_000_000, (started - t1) / 1_000_000, RESIDENTS, wallMillis, cpuMillis);

            Set<String> certificateNumbers = new HashSet<>();
            for (int i = 0; i < RESIDENTS; i++) {
                HttpResponse<String> r = responses.get(i);
                long sealId = sealIds.get(i);
                long residentId = residentBySeal.get(sealId);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                JsonNode body = json.readTree(r.body());
                assertThat(body.get("givenName").asText()).isEqualTo(givenNameOf.get(residentId));
                assertThat(body.get("sealId").asLong()).isEqualTo(sealId);
                JsonNode document = json.readTree(Base64.getUrlDecoder().decode(body.get("signedDocument").asText().split("\\.")[1]));
                assertThat(document.get("givenName").asText()).isEqualTo(givenNameOf.get(residentId));
                assertThat(document.get("sealId").asLong()).isEqualTo(sealId);
                certificateNumbers.add(body.get("certificateNumber").asText());
            }
            assertThat(certificateNumbers).hasSize(RESIDENTS);
            QuarkusTransaction.requiringNew().run(() -> {
                List<SealCertificate> issued = SealCertificate.list("sealId in ?1", sealIds);
                assertThat(issued).hasSize(RESIDENTS);
                for (SealCertificate c : issued) {
                    assertThat(c.channel).isEqualTo("kiosk");
                    assertThat(c.residentId).isEqualTo(residentBySeal.get(c.sealId));
                    assertThat(residentByCode.get(c.issuedBy)).as("the requester is the subject").isEqualTo(c.residentId);
                }
            });
        } finally {
            pool.shutdownNow();
        }
    }
}
