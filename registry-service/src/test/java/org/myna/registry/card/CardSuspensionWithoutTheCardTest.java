package org.myna.registry.card;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.registry.accesslog.AccessLogEntry;
import org.myna.registry.outbox.OutboxEvent;
import org.myna.registry.resident.IndividualNumber;
import org.myna.registry.resident.ResidentService;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.myna.platform.testkit.Problems.assertProblem;
import static org.myna.platform.testkit.Problems.assertTokenRefused;

/**
 * Issue 19 (Also): a resident who has lost the card can have it suspended without it — by a clerk at the counter, or
 * by the call centre on the phone when every attribute the caller states matches the register. The suspension takes
 * effect like the holder's own (the card's tokens are refused, a card-suspended event goes to the other services),
 * and it is in the resident's access log under the client who did it.
 */
@QuarkusTest
class CardSuspensionWithoutTheCardTest {

    @Inject
    ResidentService residents;

    private static String callCentre() {
        return Tokens.of("demo-call-centre");
    }

    private static Response suspend(String token, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post("/api/card-suspensions");
    }

    /** What the caller states on the phone: the number and the register's attributes (Residents.sample()). */
    private static Map<String, Object> stated(String number) {
        Map<String, Object> body = new LinkedHashMap<>(Residents.sample());
        body.put("individualNumber", number);
        return body;
    }

    private long residentId(String number) {
        return QuarkusTransaction.requiringNew().call(() -> residents.find(IndividualNumber.parse(number)).orElseThrow().id);
    }

    private List<AccessLogEntry> accessLog(String number) {
        long id = residentId(number);
        return QuarkusTransaction.requiringNew().call(() -> AccessLogEntry.<AccessLogEntry>list("residentId", id));
    }

    private long suspendedEvents(String authSerial) {
        return QuarkusTransaction.requiringNew().call(() ->
                OutboxEvent.count("type = ?1 and cardSerial = ?2", "card-suspended", authSerial));
    }

    @Test
    void theCallCentreSuspendsALostCardWhenEveryAttributeMatchesAndItsTokensAreRefused() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String token = CardFlow.login(holder.card(), "registry");
        given().auth().oauth2(token).get("/api/me").then().statusCode(200);

        Response answer = suspend(callCentre(), stated(holder.number()));
        answer.then().statusCode(200).body("suspended", equalTo(true)).body("alreadySuspended", equalTo(false));
        assertThat(answer.asString()).doesNotContain(holder.number()).doesNotContain("山田");

        assertTokenRefused(given().auth().oauth2(token).get("/api/me"), "card-suspended");
        assertProblem(CardFlow.tokenResponse(holder.card(), "wallet"), 401, "card-suspended");
        assertThat(suspendedEvents(holder.authSerial())).isEqualTo(1);
        assertThat(accessLog(holder.number())).anySatisfy(e -> {
            assertThat(e.actor).isEqualTo("demo-call-centre");
            assertThat(e.actorRole).isEqualTo("call-centre");
            assertThat(e.purpose).isEqualTo("card-suspension");
        });

        // a retry finds it suspended and says so; nothing is published twice
        suspend(callCentre(), stated(holder.number())).then().statusCode(200).body("alreadySuspended", equalTo(true));
        assertThat(suspendedEvents(holder.authSerial())).isEqualTo(1);

        // found again: a clerk lifts it at the counter, as for the holder's own suspension
        given().auth().oauth2(Tokens.clerk()).post("/api/cards/" + holder.cardId() + "/resumption").then().statusCode(200);
        given().auth().oauth2(CardFlow.login(holder.card(), "registry")).get("/api/me").then().statusCode(200);
    }

    @Test
    void oneAttributeWrongOrAnUnknownNumberSuspendsNothingAndTellsNothing() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String token = CardFlow.login(holder.card(), "registry");

        Map<String, Object> wrongKana = stated(holder.number());
        wrongKana.put("givenNameKana", "ハルコ");
        Response refused = suspend(callCentre(), wrongKana);
        assertProblem(refused, 422, "identity-not-confirmed");
        assertThat(refused.asString()).doesNotContain("kana").doesNotContain("ハナコ").doesNotContain("mismatched");

        Map<String, Object> wrongBirth = stated(holder.number());
        wrongBirth.put("dateOfBirth", "1990-04-02");
        assertProblem(suspend(callCentre(), wrongBirth), 422, "identity-not-confirmed");

        // an unassigned (but well-formed) number gets the very same answer: the phone is no oracle of assignment
        String unassigned = IndividualNumber.random(new SecureRandom()).digits();
        assertProblem(suspend(callCentre(), stated(unassigned)), 422, "identity-not-confirmed");

        // the number alone is not enough on the phone
        assertProblem(suspend(callCentre(), Map.of("individualNumber", holder.number())), 400, "attributes-required");
        assertProblem(suspend(callCentre(), stated("123456789012")), 400, "invalid-number");

        given().auth().oauth2(token).get("/api/me").then().statusCode(200);
        assertThat(suspendedEvents(holder.authSerial())).isZero();
        assertThat(accessLog(holder.number())).filteredOn(e -> "card-suspension-identity-not-confirmed".equals(e.purpose))
                .hasSize(2).allSatisfy(e -> assertThat(e.actor).isEqualTo("demo-call-centre"));
    }

    @Test
    void aClerkAtTheCounterSuspendsByTheNumberAlone() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String token = CardFlow.login(holder.card(), "registry");

        suspend(Tokens.clerk(), Map.of("individualNumber", holder.number())).then().statusCode(200)
                .body("alreadySuspended", equalTo(false));

        assertTokenRefused(given().auth().oauth2(token).get("/api/me"), "card-suspended");
        assertThat(suspendedEvents(holder.authSerial())).isEqualTo(1);
        assertThat(accessLog(holder.number())).anySatisfy(e -> {
            assertThat(e.actor).isEqualTo("demo-clerk");
            assertThat(e.purpose).isEqualTo("card-suspension");
        });
    }

    @Test
    void aResidentWithoutAnActiveCardHasNothingToSuspend() {
        String number = Residents.register(Residents.sample());
        assertProblem(suspend(Tokens.clerk(), Map.of("individualNumber", number)), 409, "no-active-card");
        assertProblem(suspend(callCentre(), stated(number)), 409, "no-active-card");
    }

    @Test
    void noOtherRoleMaySuspendACardForSomeoneElse() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String token = CardFlow.login(holder.card(), "registry");
        suspend(Tokens.of("demo-insurer"), stated(holder.number())).then().statusCode(403);
        suspend(Tokens.auditor(), stated(holder.number())).then().statusCode(403);
        suspend(token, stated(holder.number())).then().statusCode(403);
        given().contentType(ContentType.JSON).body(stated(holder.number())).post("/api/card-suspensions").then().statusCode(401);
        given().auth().oauth2(token).get("/api/me").then().statusCode(200);
    }
}
