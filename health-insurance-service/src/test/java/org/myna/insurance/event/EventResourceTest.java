package org.myna.insurance.event;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
class EventResourceTest {

    @InjectRegistryMock
    WireMockServer registry;

    @Inject
    EntityManager em;

    static Map<String, Object> event(String id, String type, String linkCode) {
        return Map.of("eventId", id, "type", type, "linkCode", linkCode, "occurredAt", "2026-11-27T09:00:00+09:00");
    }

    long received(String id) {
        return em.createQuery("select count(e) from ReceivedEvent e where e.eventId = :id", Long.class)
                .setParameter("id", id).getSingleResult();
    }

    @Test
    void aRenameMarksTheLinkedMemberForReverificationOnceEvenWhenRedeliveredConcurrently() throws Exception {
        Fixtures.Linked linked = Fixtures.linkedMember(registry, "山田", "太郎");
        String eventId = UUID.randomUUID().toString();
        String registryToken = Tokens.organisation("registry-service", "service");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                calls.add(pool.submit(() -> given().auth().oauth2(registryToken).contentType(ContentType.JSON)
                        .body(event(eventId, "resident-renamed", linked.linkCode())).post("/api/events")
                        .then().extract().statusCode()));
            }
            for (Future<Integer> call : calls) {
                assertThat(call.get()).isEqualTo(204);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(received(eventId)).isEqualTo(1);
        given().auth().oauth2(Tokens.insurer(linked.clientId()))
                .get("/api/insurers/" + linked.insurerNumber() + "/members/" + linked.memberId())
                .then().statusCode(200).body("link.reverificationReason", equalTo("resident-renamed"));
    }

    @Test
    void onlyTheRegistrySendsEvents() {
        String eventId = UUID.randomUUID().toString();
        given().auth().oauth2(Tokens.organisation("wallet-service", "service")).contentType(ContentType.JSON)
                .body(event(eventId, "resident-renamed", "abc")).post("/api/events")
                .then().statusCode(403).body("code", equalTo("not-the-registry"));
        given().auth().oauth2(Tokens.facility()).contentType(ContentType.JSON)
                .body(event(eventId, "resident-renamed", "abc")).post("/api/events").then().statusCode(403);
        assertThat(received(eventId)).isZero();
    }

    @Test
    void aCardEventIsRecordedWithoutTouchingMembers() {
        Fixtures.Linked linked = Fixtures.linkedMember(registry, "佐藤", "花子");
        String eventId = UUID.randomUUID().toString();
        given().auth().oauth2(Tokens.organisation("registry-service", "service")).contentType(ContentType.JSON)
                .body(event(eventId, "card-revoked", linked.linkCode())).post("/api/events").then().statusCode(204);
        assertThat(received(eventId)).isEqualTo(1);
        given().auth().oauth2(Tokens.insurer(linked.clientId()))
                .get("/api/insurers/" + linked.insurerNumber() + "/members/" + linked.memberId())
                .then().statusCode(200).body("link.reverificationReason", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void anAuditorSeesEachAppliedEventOnceAndTheMembersItMarked() {
        Fixtures.Linked linked = Fixtures.linkedMember(registry, "鈴木", "一郎");
        String auditor = Tokens.auditor();
        io.restassured.path.json.JsonPath before = given().auth().oauth2(auditor).get("/api/events/received")
                .then().statusCode(200).extract().jsonPath();
        int events = before.getInt("events");
        int marked = before.getInt("membersMarked");
        int moved = ((Number) before.getMap("byType").getOrDefault("resident-moved", 0)).intValue();
        String eventId = UUID.randomUUID().toString();
        String registryToken = Tokens.organisation("registry-service", "service");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(registryToken).contentType(ContentType.JSON)
                    .body(event(eventId, "resident-moved", linked.linkCode())).post("/api/events").then().statusCode(204);
        }
        given().auth().oauth2(auditor).get("/api/events/received").then().statusCode(200)
                .body("events", equalTo(events + 1))
                .body("membersMarked", equalTo(marked + 1))
                .body("byType.resident-moved", equalTo(moved + 1));
        given().auth().oauth2(Tokens.facility()).get("/api/events/received").then().statusCode(403);
        given().auth().oauth2(registryToken).get("/api/events/received").then().statusCode(403);
    }
}
