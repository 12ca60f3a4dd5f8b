package org.myna.insurance.event;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.Tokens;
import org.myna.platform.testkit.Problems;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;

/**
 * DESIGN §6.7 at the insurance service: once the registry's card-revoked or card-suspended event has arrived, a
 * resident token made with that card before it no longer shows coverage; a new card's token does.
 */
@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
class RevokedCardTokenTest {

    @InjectRegistryMock
    WireMockServer registry;

    static void deliver(String type, String linkCode, String cardRef, OffsetDateTime at) {
        given().auth().oauth2(Tokens.organisation("registry-service", "service")).contentType(ContentType.JSON)
                .body(Map.of("eventId", UUID.randomUUID().toString(), "type", type, "linkCode", linkCode,
                        "occurredAt", at.toString(), "cardRef", cardRef))
                .post("/api/events").then().statusCode(204);
    }

    static void refused(Response response, String code) {
        Problems.assertProblem(response, 401, code);
    }

    @Test
    void aRevokedCardsEarlierTokenNoLongerShowsCoverageButANewCardsDoes() {
        Fixtures.Linked linked = Fixtures.linkedMember(registry, "高橋", "一郎");
        String token = Tokens.resident(linked.linkCode(), "card-a");
        given().auth().oauth2(token).get("/api/me/coverage").then().statusCode(200).body("$", hasSize(1));

        deliver("card-revoked", linked.linkCode(), "card-a", OffsetDateTime.now());

        refused(given().auth().oauth2(token).get("/api/me/coverage"), "card-revoked");
        refused(given().auth().oauth2(token).get("/api/me/eligibility-checks"), "card-revoked");
        given().auth().oauth2(Tokens.resident(linked.linkCode(), "card-b")).get("/api/me/coverage")
                .then().statusCode(200).body("$", hasSize(1));
    }

    @Test
    void aSuspendedCardsTokenIsRefusedUntilTheCardIsResumed() {
        Fixtures.Linked linked = Fixtures.linkedMember(registry, "鈴木", "二郎");
        String token = Tokens.resident(linked.linkCode(), "card-s");
        OffsetDateTime at = OffsetDateTime.now();
        deliver("card-suspended", linked.linkCode(), "card-s", at);
        refused(given().auth().oauth2(token).get("/api/me/coverage"), "card-suspended");
        deliver("card-resumed", linked.linkCode(), "card-s", at.plusSeconds(1));
        given().auth().oauth2(token).get("/api/me/coverage").then().statusCode(200).body("$", hasSize(1));
    }
}
