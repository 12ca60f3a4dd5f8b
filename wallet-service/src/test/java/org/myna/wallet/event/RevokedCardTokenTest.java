package org.myna.wallet.event;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.myna.platform.cardstanding.CardStanding;
import org.myna.platform.testkit.Problems;
import org.myna.wallet.support.Tokens;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * DESIGN §6.7 at the wallet: once the registry's card-revoked or card-suspended event has arrived, a token made with
 * that card before it is refused, resident and operation tokens alike; a new card's tokens work.
 */
@QuarkusTest
class RevokedCardTokenTest {

    static final String REGISTRY = Tokens.organisation("registry-service", "service");

    /** A link code as the registry makes them: at most 32 characters. */
    static String code() {
        return "wl" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    static void deliver(String type, String linkCode, String cardRef, OffsetDateTime at) {
        Map<String, Object> event = new HashMap<>(Map.of("eventId", UUID.randomUUID().toString(), "type", type,
                "linkCode", linkCode, "occurredAt", at.toString()));
        if (cardRef != null) {
            event.put("cardRef", cardRef);
        }
        given().auth().oauth2(Tokens.organisation("registry-service", "service")).contentType(ContentType.JSON)
                .body(event).post("/api/events").then().statusCode(204);
    }

    static Response balance(String token) {
        return given().auth().oauth2(token).get("/api/me/balance");
    }

    static void refused(Response response, String code) {
        Problems.assertProblem(response, 401, code);
    }

    static Response apply(String operationToken) {
        return given().auth().oauth2(operationToken).contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("rule", "no-such-rule")).post("/api/applications");
    }

    @Test
    void aRevokedCardsEarlierTokensAreRefusedAndANewCardsWork() {
        String code = code();
        String token = Tokens.resident(code, "card-a");
        String op = Tokens.operation(code, "apply-points", "card-a");
        balance(token).then().statusCode(200);

        deliver("card-revoked", code, "card-a", OffsetDateTime.now());

        refused(balance(token), "card-revoked");
        refused(given().auth().oauth2(token).get("/api/me/history"), "card-revoked");
        refused(apply(op), "card-revoked");
        // the new card: its tokens pass (the unknown rule is the first thing that stops the application)
        balance(Tokens.resident(code, "card-b")).then().statusCode(200);
        apply(Tokens.operation(code, "apply-points", "card-b")).then().statusCode(422).body("code", equalTo("unknown-rule"));
        // someone else's tokens are untouched
        balance(Tokens.resident(code(), "card-a")).then().statusCode(200);
    }

    @Test
    void aSuspensionVoidsTheCardsTokensUntilItIsResumed() {
        String code = code();
        String token = Tokens.resident(code, "card-s");
        OffsetDateTime suspended = OffsetDateTime.now();
        deliver("card-suspended", code, "card-s", suspended);
        refused(balance(token), "card-suspended");
        refused(apply(Tokens.operation(code, "apply-points", "card-s")), "card-suspended");

        deliver("card-resumed", code, "card-s", suspended.plusSeconds(5));
        balance(token).then().statusCode(200);

        // a late redelivery of an older suspension does not undo the resumption
        deliver("card-suspended", code, "card-s", suspended.minusSeconds(5));
        balance(token).then().statusCode(200);

        // a revocation is final: no resumption lifts it
        deliver("card-revoked", code, "card-s", suspended.plusSeconds(10));
        deliver("card-resumed", code, "card-s", suspended.plusSeconds(15));
        refused(balance(token), "card-revoked");
    }

    @Test
    void withoutACardReferenceTokensIssuedUpToTheEventAreVoid() {
        String code = code();
        long now = System.currentTimeMillis() / 1000;
        String before = Tokens.residentIssuedAt(code, now - 30);
        String sameSecond = Tokens.residentIssuedAt(code, now);
        String after = Tokens.residentIssuedAt(code, now + 2);
        // an event from a registry that does not name the card yet
        deliver("card-revoked", code, null, OffsetDateTime.now());
        refused(balance(before), "card-revoked");
        refused(balance(sameSecond), "card-revoked");
        balance(after).then().statusCode(200);
    }

    @Test
    void anEventWithFieldsThisServiceDoesNotKnowIsStillAccepted() {
        Map<String, Object> event = Map.of("eventId", UUID.randomUUID().toString(), "type", "card-revoked",
                "linkCode", code(), "occurredAt", OffsetDateTime.now().toString(), "cardRef", "card-x",
                "somethingNew", Map.of("a", 1));
        given().auth().oauth2(REGISTRY).contentType(ContentType.JSON).body(event).post("/api/events").then().statusCode(204);
    }

    @Test
    void theRecordIsKeptOncePerCard() {
        String code = code();
        OffsetDateTime at = OffsetDateTime.now();
        deliver("card-revoked", code, "card-1", at);
        deliver("card-revoked", code, "card-1", at.plusSeconds(1));
        assertThat(io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> CardStanding.count("key.linkCode", code)))
                .isEqualTo(1);
    }
}
