package org.myna.insurance.insurer;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.Tokens;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** Bulk enrolment: one result per member, bad members reported without stopping the others, retries add nobody. */
@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
class MemberBatchResourceTest {

    @InjectRegistryMock
    WireMockServer registry;

    @Inject
    EntityManager em;

    static ValidatableResponse enrolAll(String client, String insurer, List<?> members) {
        return given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).body(Map.of("members", members))
                .post("/api/insurers/" + insurer + "/members/batch").then();
    }

    long members(String insurer) {
        return em.createQuery("select count(m) from Member m where m.insurer.insurerNumber = ?1", Long.class)
                .setParameter(1, insurer).getSingleResult();
    }

    static Map<String, Object> withNumber(Map<String, Object> member, String number) {
        member.put("individualNumber", number);
        member.put("address", Fixtures.address());
        return member;
    }

    @Test
    void enrolsAPageWithOneResultPerMemberAndLinksThemThroughOneRegistryCall() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        String linkedNumber = Fixtures.individualNumber();
        String mismatchNumber = Fixtures.individualNumber();
        RegistryMock.linkAnswer(linkedNumber, "{\"outcome\":\"linked\",\"linkCode\":\"batchLinkCode0123456789\"}");
        RegistryMock.linkAnswer(mismatchNumber, "{\"outcome\":\"attributes-mismatch\",\"mismatched\":[\"kana\"]}");
        Map<String, Object> linked = withNumber(Fixtures.member("髙橋", "花子"), linkedNumber);
        Map<String, Object> mismatch = withNumber(Fixtures.member("山田", "太郎"), mismatchNumber);
        Map<String, Object> unlinked = Fixtures.member("葛\uDB40\uDD00城", "𠮷子");
        Map<String, Object> badCopay = Fixtures.member("山田", "次郎");
        badCopay.put("copayRate", 25);
        Map<String, Object> badKana = Fixtures.member("山田", "三郎");
        badKana.put("familyNameKana", "yamada");
        Map<String, Object> unknownField = Fixtures.member("山田", "四郎");
        unknownField.put("nickname", "よっちゃん");
        Map<String, Object> badNumber = withNumber(Fixtures.member("山田", "五郎"), linkedNumber.substring(0, 11)
                + (char) ('0' + (linkedNumber.charAt(11) - '0' + 1) % 10));
        List<Object> page = new ArrayList<>(List.of(linked, mismatch, unlinked, badCopay, badKana, unlinked, unknownField, badNumber));
        page.add("not a member");

        String answer = enrolAll(client, insurer, page).statusCode(200)
                .body("enrolled", equalTo(3)).body("existing", equalTo(0)).body("rejected", equalTo(6))
                .body("results.index", contains(0, 1, 2, 3, 4, 5, 6, 7, 8))
                .body("results.status", contains("enrolled", "enrolled", "enrolled", "rejected", "rejected", "rejected",
                        "rejected", "rejected", "rejected"))
                .body("results.linkStatus", contains("linked", "attributes-mismatch", "unlinked", null, null, null, null, null, null))
                .body("results[1].mismatched", contains("kana"))
                .body("results.code", contains(null, null, null, "invalid-copay-rate", "invalid-member", "duplicate-in-batch",
                        "invalid-member", "invalid-number", "invalid-member"))
                .body("results[3].violations[0].field", equalTo("copayRate"))
                .body("results[4].violations[0].field", equalTo("familyNameKana"))
                .extract().asString();
        assertThat(answer).doesNotContain(linkedNumber).doesNotContain(mismatchNumber).doesNotContain("batchLinkCode");
        assertThat(members(insurer)).isEqualTo(3);
        // Both numbers went to the registry in one page; the malformed one never left this service.
        registry.verify(1, postRequestedFor(urlEqualTo("/api/insurance-links/batch"))
                .withRequestBody(matchingJsonPath("$.links[0].number", com.github.tomakehurst.wiremock.client.WireMock.equalTo(linkedNumber)))
                .withRequestBody(matchingJsonPath("$.links[1].number", com.github.tomakehurst.wiremock.client.WireMock.equalTo(mismatchNumber)))
                .withRequestBody(matchingJsonPath("$.links[1].address.line", com.github.tomakehurst.wiremock.client.WireMock.equalTo("千代田1-1"))));
        long linkedId = ((Number) io.restassured.path.json.JsonPath.from(answer).get("results[0].memberId")).longValue();
        assertThat(em.createQuery("select m.linkCode from Member m where m.id = ?1", String.class)
                .setParameter(1, linkedId).getSingleResult()).isEqualTo("batchLinkCode0123456789");
        assertThat(em.createQuery("select a.outcome from LinkAttempt a where a.memberId = ?1", String.class)
                .setParameter(1, linkedId).getResultList()).containsExactly("linked");
        // Names come back byte for byte.
        long unlinkedId = ((Number) io.restassured.path.json.JsonPath.from(answer).get("results[2].memberId")).longValue();
        given().auth().oauth2(Tokens.insurer(client)).get("/api/insurers/" + insurer + "/members/" + unlinkedId)
                .then().statusCode(200).body("familyName", equalTo("葛\uDB40\uDD00城")).body("givenName", equalTo("𠮷子"));

        // The same page again adds nobody and asks the registry nothing: the members exist, with the same ids.
        registry.resetRequests();
        enrolAll(client, insurer, page).statusCode(200)
                .body("enrolled", equalTo(0)).body("existing", equalTo(3)).body("rejected", equalTo(6))
                .body("results[0].status", equalTo("exists")).body("results[0].memberId", equalTo((int) linkedId))
                .body("results[0].linkStatus", equalTo("linked"));
        registry.verify(0, postRequestedFor(urlEqualTo("/api/insurance-links/batch")));
        assertThat(members(insurer)).isEqualTo(3);
    }

    @Test
    void aRegistryDownDuringTheBatchIs503AndStoresNothing() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        String number = Fixtures.individualNumber();
        registry.stubFor(post(urlEqualTo("/api/insurance-links/batch")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.links[0].number", com.github.tomakehurst.wiremock.client.WireMock.equalTo(number)))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        enrolAll(client, insurer, List.of(Fixtures.member("山田", "花子"), withNumber(Fixtures.member("山田", "太郎"), number)))
                .statusCode(503).body("code", equalTo("registry-unavailable"));
        assertThat(members(insurer)).isZero();
    }

    /** A page is seconds of work on a busy registry: longer than a clinic's call may take, yet not a failure. */
    @Test
    void aPageTheRegistryAnswersSlowerThanAClinicCallMayTakeStillEnrols() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        String number = Fixtures.individualNumber();
        registry.stubFor(post(urlEqualTo("/api/insurance-links/batch")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.links[0].number", com.github.tomakehurst.wiremock.client.WireMock.equalTo(number)))
                .willReturn(aResponse().withFixedDelay(3_000).withHeader("Content-Type", "application/json")
                        .withBody("{\"results\":[{\"outcome\":\"linked\",\"linkCode\":\"slowPageLinkCode012345\"}]}")));
        enrolAll(client, insurer, List.of(withNumber(Fixtures.member("山田", "花子"), number))).statusCode(200)
                .body("enrolled", equalTo(1)).body("results[0].linkStatus", equalTo("linked"));
    }

    @Test
    void theSamePageSentConcurrentlyEnrolsEachMemberOnce() throws Exception {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            page.add(Fixtures.member("山田", "花子"));
        }
        int senders = 6;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Integer>>> answers = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return enrolAll(client, insurer, page).statusCode(200).body("rejected", equalTo(0))
                            .extract().<List<Integer>>path("results.memberId");
                }));
            }
            start.countDown();
            Set<List<Integer>> distinct = new HashSet<>();
            for (Future<List<Integer>> a : answers) {
                distinct.add(a.get());
            }
            assertThat(distinct).hasSize(1);
            assertThat(distinct.iterator().next()).doesNotContainNull().doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
        assertThat(members(insurer)).isEqualTo(20);
    }

    @Test
    void refusesPagesItCannotTakeAndAnotherInsurersClient() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        enrolAll(client, insurer, List.of()).statusCode(400).contentType(startsWith("application/problem+json"))
                .body("code", equalTo("invalid-batch-size"));
        enrolAll(client, insurer, Collections.nCopies(501, Fixtures.member("山田", "花子"))).statusCode(400)
                .body("code", equalTo("invalid-batch-size"));
        given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).body("{\"members\":[],\"extra\":1}")
                .post("/api/insurers/" + insurer + "/members/batch").then().statusCode(400);
        given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).body("{\"members\":")
                .post("/api/insurers/" + insurer + "/members/batch").then().statusCode(400);
        String other = Fixtures.newClient();
        Fixtures.insurer(other);
        enrolAll(other, insurer, List.of(Fixtures.member("山田", "花子"))).statusCode(403).body("code", equalTo("not-your-insurer"));
        given().auth().oauth2(Tokens.facility()).contentType(ContentType.JSON).body(Map.of("members", List.of(Fixtures.member("山田", "花子"))))
                .post("/api/insurers/" + insurer + "/members/batch").then().statusCode(403);
        assertThat(members(insurer)).isZero();
    }
}
