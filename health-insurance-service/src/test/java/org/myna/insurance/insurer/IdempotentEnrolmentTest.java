package org.myna.insurance.insurer;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.Tokens;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.myna.platform.testkit.Problems.assertProblem;

/**
 * Issue 19 (Also): an insurer's retryable POSTs take an Idempotency-Key with the wallet's semantics. A retried
 * enrolment (same key, same body) gets the first answer and never a second member, nor a second question to the
 * registry; the same key with another body is a 409 idempotency-key-reused; two requests racing with one key make one
 * member. On the old code a retry was a 409 member-exists: the first answer (the member's id) was lost.
 */
@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
class IdempotentEnrolmentTest {

    @InjectRegistryMock
    WireMockServer registry;

    @Inject
    EntityManager em;

    long members(String insurer) {
        return em.createQuery("select count(m) from Member m where m.insurer.insurerNumber = :n", Long.class)
                .setParameter("n", insurer).getSingleResult();
    }

    static Response enrol(String client, String insurer, String key, Map<String, Object> body) {
        return given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).post("/api/insurers/" + insurer + "/members");
    }

    private int linkRequests(String number) {
        return registry.findAll(postRequestedFor(urlEqualTo("/api/insurance-links"))
                .withRequestBody(matchingJsonPath("$.number", WireMock.equalTo(number)))).size();
    }

    @Test
    void aRetriedEnrolmentWithTheSameKeyGetsTheFirstAnswerAndNoSecondMember() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        String number = Fixtures.individualNumber();
        Fixtures.registryLinks(registry, number);
        Map<String, Object> body = Fixtures.member("山田", "花子");
        body.put("individualNumber", number);
        body.put("address", Fixtures.address());
        String key = UUID.randomUUID().toString();

        Response first = enrol(client, insurer, key, body);
        first.then().statusCode(201);
        Response retry = enrol(client, insurer, key, body);
        retry.then().statusCode(201).header("Idempotent-Replayed", "true");

        assertThat(retry.asString()).isEqualTo(first.asString());
        assertThat(members(insurer)).isEqualTo(1);
        assertThat(linkRequests(number)).isEqualTo(1);
        // the stored answer is the member as its insurer sees it: never the number or the link code
        assertThat(first.asString()).doesNotContain(number);
    }

    @Test
    void theSameKeyWithAnotherBodyIsA409AndEnrolsNobody() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Fixtures.member("佐藤", "一郎");
        enrol(client, insurer, key, body).then().statusCode(201);

        Map<String, Object> other = Fixtures.member("佐藤", "二郎");
        assertProblem(enrol(client, insurer, key, other), 409, "idempotency-key-reused");
        assertThat(members(insurer)).isEqualTo(1);
    }

    @Test
    void twoConcurrentEnrolmentsWithOneKeyMakeOneMember() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 4; round++) {
                String client = Fixtures.newClient();
                String insurer = Fixtures.insurer(client);
                String number = Fixtures.individualNumber();
                // a slow registry in half the rounds, so that the second request arrives while the first is in flight
                registry.stubFor(post(urlEqualTo("/api/insurance-links"))
                        .withRequestBody(matchingJsonPath("$.number", WireMock.equalTo(number)))
                        .willReturn(okJson("{\"linkCode\":\"" + UUID.randomUUID().toString().replace("-", "").substring(0, 22) + "\"}")
                                .withFixedDelay(round % 2 == 0 ? 400 : 0)));
                Map<String, Object> body = Fixtures.member("髙橋", "𠮷子");
                body.put("individualNumber", number);
                body.put("address", Fixtures.address());
                String key = UUID.randomUUID().toString();

                CountDownLatch start = new CountDownLatch(1);
                List<Future<Response>> answers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return enrol(client, insurer, key, body);
                    }));
                }
                start.countDown();
                List<Long> ids = new ArrayList<>();
                for (Future<Response> f : answers) {
                    Response r = f.get();
                    if (r.statusCode() == 201) {
                        ids.add(((Number) r.path("id")).longValue());
                    } else {
                        assertProblem(r, 409, "request-in-progress");
                    }
                }
                assertThat(ids).isNotEmpty();
                assertThat(ids).allMatch(ids.get(0)::equals);
                assertThat(members(insurer)).isEqualTo(1);
                assertThat(linkRequests(number)).isEqualTo(1);
                // and the loser's retry, once the first is done, gets the first answer
                assertThat(((Number) enrol(client, insurer, key, body).then().statusCode(201).extract().path("id")).longValue())
                        .isEqualTo(ids.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRetriedInsurerRegistrationGetsTheFirstAnswerInsteadOfInsurerExists() {
        String client = Fixtures.newClient();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("insurerNumber", Fixtures.insurerNumber(), "name", "冪等健康保険組合",
                "corporateNumber", Fixtures.corporateNumber());
        Response first = given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON)
                .header("Idempotency-Key", key).body(body).post("/api/insurers");
        first.then().statusCode(201);
        Response retry = given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON)
                .header("Idempotency-Key", key).body(body).post("/api/insurers");
        retry.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(retry.asString()).isEqualTo(first.asString());
        assertProblem(given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON)
                .header("Idempotency-Key", key).body(Map.of("insurerNumber", Fixtures.insurerNumber(), "name", "別の組合",
                        "corporateNumber", Fixtures.corporateNumber())).post("/api/insurers"), 409, "idempotency-key-reused");
    }

    @Test
    void aRetriedLinkGetsTheFirstAnswerAndAsksTheRegistryOnce() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        Map<String, Object> body = Fixtures.member("鈴木", "葛󠄀子");
        body.put("address", Fixtures.address());
        long id = ((Number) given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).body(body)
                .post("/api/insurers/" + insurer + "/members").then().statusCode(201).extract().path("id")).longValue();
        String number = Fixtures.individualNumber();
        Fixtures.registryLinks(registry, number);
        Map<String, Object> link = Map.of("individualNumber", number, "address", Fixtures.address());
        String key = UUID.randomUUID().toString();

        Response first = given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(link).post("/api/insurers/" + insurer + "/members/" + id + "/link");
        first.then().statusCode(200).body("link.status", org.hamcrest.Matchers.equalTo("linked"));
        Response retry = given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(link).post("/api/insurers/" + insurer + "/members/" + id + "/link");
        retry.then().statusCode(200).header("Idempotent-Replayed", "true");
        assertThat(retry.asString()).isEqualTo(first.asString());
        assertThat(linkRequests(number)).isEqualTo(1);
    }
}
