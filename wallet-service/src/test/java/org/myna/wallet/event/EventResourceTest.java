package org.myna.wallet.event;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.myna.wallet.support.Tokens;

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
class EventResourceTest {

    @Inject
    EntityManager em;

    long received(String id) {
        return em.createQuery("select count(e) from ReceivedEvent e where e.eventId = :id", Long.class)
                .setParameter("id", id).getSingleResult();
    }

    static Map<String, Object> event(String id) {
        return Map.of("eventId", id, "type", "card-revoked", "linkCode", "walletcode123",
                "occurredAt", "2026-11-27T09:00:00+09:00");
    }

    @Test
    void concurrentRedeliveriesOfOneEventAreRecordedOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        String registry = Tokens.organisation("registry-service", "service");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                calls.add(pool.submit(() -> given().auth().oauth2(registry).contentType(ContentType.JSON)
                        .body(event(id)).post("/api/events").then().extract().statusCode()));
            }
            for (Future<Integer> call : calls) {
                assertThat(call.get()).isEqualTo(204);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(received(id)).isEqualTo(1);
    }

    @Test
    void onlyTheRegistrySendsEvents() {
        String id = UUID.randomUUID().toString();
        given().auth().oauth2(Tokens.organisation("insurance-service", "service")).contentType(ContentType.JSON)
                .body(event(id)).post("/api/events").then().statusCode(403).body("code", equalTo("not-the-registry"));
        given().auth().oauth2(Tokens.auditor()).contentType(ContentType.JSON)
                .body(event(id)).post("/api/events").then().statusCode(403);
        assertThat(received(id)).isZero();
    }
}
