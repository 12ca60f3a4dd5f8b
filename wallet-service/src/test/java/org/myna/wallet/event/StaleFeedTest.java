package org.myna.wallet.event;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.myna.platform.testkit.Problems;
import org.myna.wallet.support.RegistryWireMock;
import org.myna.wallet.support.Tokens;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DESIGN §6.7, failing closed: the registry revoked a card, but its event never reaches the wallet (delivery is
 * blocked). The card's old tokens must still be refused at every resident endpoint once the wallet's copy of the
 * events is older than its bound, because the wallet then asks the registry itself. Before this, such a token
 * worked until it expired.
 */
@QuarkusTest
@QuarkusTestResource(RegistryWireMock.class)
@TestProfile(StaleFeedTest.FailClosed.class)
public class StaleFeedTest {

    public static class FailClosed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("myna.card-standing.fail-closed", "true", "myna.card-standing.max-staleness", "PT2S");
        }
    }

    static final Duration BOUND = Duration.ofSeconds(2);

    static String code() {
        return "sf" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** The registry's own judgement of this resident's card. */
    static void registrySays(String linkCode, String standing) {
        RegistryWireMock.server().stubFor(post(urlEqualTo("/api/card-standings/lookup")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.linkCode", equalTo(linkCode)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"standing\":\"" + standing + "\"}")));
    }

    static void watermark(OffsetDateTime watermark, OffsetDateTime asOf) {
        given().auth().oauth2(Tokens.organisation("registry-service", "service")).contentType(ContentType.JSON)
                .body(Map.of("watermark", watermark.toString(), "asOf", asOf.toString()))
                .post("/api/events/watermark").then().statusCode(204);
    }

    /** Every resident endpoint of the wallet, each with the token kind it takes. */
    static List<Function<String[], Response>> residentEndpoints() {
        return List.of(
                t -> given().auth().oauth2(t[0]).get("/api/me/balance"),
                t -> given().auth().oauth2(t[0]).get("/api/me/history"),
                t -> given().auth().oauth2(t[0]).get("/api/me/payment-choice"),
                t -> given().auth().oauth2(t[1]).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                        .body(Map.of("rule", "no-such-rule")).post("/api/applications"),
                t -> given().auth().oauth2(t[2]).contentType(ContentType.JSON)
                        .body(Map.of("paymentService", "no-such-service", "campaign", "no-such-campaign")).post("/api/payment-choices"));
    }

    static String[] tokens(String code, String card) {
        return new String[]{Tokens.resident(code, card), Tokens.operation(code, "apply-points", card),
                Tokens.operation(code, "choose-payment-service", card)};
    }

    @Test
    void aRevokedCardsOldTokenIsRefusedEverywhereOnceTheFeedIsOlderThanItsBound() {
        String code = code();
        String[] tokens = tokens(code, "card-r");
        registrySays(code, "card-revoked"); // revoked at the registry; the event is never delivered

        // A fresh watermark: within the bound the wallet trusts its copy (no event: the token passes).
        // (retried: on a loaded machine the bound can pass between the two requests)
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            watermark(OffsetDateTime.now().minusNanos(200_000_000), OffsetDateTime.now());
            given().auth().oauth2(tokens[0]).get("/api/me/balance").then().statusCode(200);
        });

        // Delivery stays blocked: no watermark arrives. Within the bound plus a margin, every endpoint refuses.
        await().atMost(BOUND.plusSeconds(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Problems.assertProblem(given().auth().oauth2(tokens[0]).get("/api/me/balance"), 401, "card-revoked"));
        for (Function<String[], Response> endpoint : residentEndpoints()) {
            Problems.assertProblem(endpoint.apply(tokens), 401, "card-revoked");
        }
        RegistryWireMock.server().verify(postRequestedFor(urlEqualTo("/api/card-standings/lookup"))
                .withRequestBody(matchingJsonPath("$.cardRef", equalTo("card-r"))));
    }

    @Test
    void aWatermarkHeldBackByAPendingDeliveryKeepsAskingTheRegistry() {
        String code = code();
        String[] tokens = tokens(code, "card-p");
        registrySays(code, "card-suspended");
        // The registry's oldest undelivered event is 10 s old: the watermark says so, however recently it arrived.
        watermark(OffsetDateTime.now().minusSeconds(10), OffsetDateTime.now());
        for (Function<String[], Response> endpoint : residentEndpoints()) {
            Problems.assertProblem(endpoint.apply(tokens), 401, "card-suspended");
        }
    }

    @Test
    void aGoodCardPassesWhileStaleAndAnUnreachableRegistryIsA503NeverAPass() {
        String good = code();
        registrySays(good, "good");
        watermark(OffsetDateTime.now().minusSeconds(30), OffsetDateTime.now());
        given().auth().oauth2(Tokens.resident(good, "card-g")).get("/api/me/balance").then().statusCode(200);

        String unknown = code();
        RegistryWireMock.server().stubFor(post(urlEqualTo("/api/card-standings/lookup")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.linkCode", equalTo(unknown)))
                .willReturn(aResponse().withStatus(500).withBody("down")));
        Response refused = given().auth().oauth2(Tokens.resident(unknown, "card-u")).get("/api/me/balance");
        Problems.assertProblem(refused, 503, "card-standing-unavailable");
        assertThat(refused.getHeader("Retry-After")).isNotBlank();
    }

    /**
     * A long registry lag must not turn every resident request into a registry call: the registry's "good" is kept for
     * half the bound. It still fails closed: a revocation after that answer is refused within the bound.
     */
    @Test
    void aGoodAnswerServesTheCardForHalfTheBoundAndARevocationStillLandsWithinIt() {
        String code = code();
        registrySays(code, "good");
        watermark(OffsetDateTime.now().minusSeconds(30), OffsetDateTime.now());
        String token = Tokens.resident(code, "card-c");
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(token).get("/api/me/balance").then().statusCode(200);
        }
        List<?> asked = RegistryWireMock.server().findAll(postRequestedFor(urlEqualTo("/api/card-standings/lookup"))
                .withRequestBody(matchingJsonPath("$.linkCode", equalTo(code))));
        assertThat(asked).as("registry calls for five requests within half the bound").hasSizeBetween(1, 2);

        registrySays(code, "card-revoked");
        await().atMost(BOUND.plusSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                Problems.assertProblem(given().auth().oauth2(token).get("/api/me/balance"), 401, "card-revoked"));
    }

    @Test
    void onlyTheRegistrySendsWatermarks() {
        given().auth().oauth2(Tokens.organisation("insurance-service", "service")).contentType(ContentType.JSON)
                .body(Map.of("watermark", OffsetDateTime.now().toString(), "asOf", OffsetDateTime.now().toString()))
                .post("/api/events/watermark").then().statusCode(403);
        given().auth().oauth2(Tokens.organisation("registry-service", "service")).contentType(ContentType.JSON)
                .body(Map.of("asOf", OffsetDateTime.now().toString()))
                .post("/api/events/watermark").then().statusCode(400);
    }
}
