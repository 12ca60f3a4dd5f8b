package org.myna.insurance.event;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.Tokens;
import org.myna.platform.testkit.Problems;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

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
 * DESIGN §6.7 at the insurance service, failing closed: a card revoked at the registry whose event never arrives.
 * Once this service's copy of the card events is older than its bound, the card's old tokens are refused at every
 * resident endpoint, because the registry is asked; an unreachable registry is a 503, never a pass.
 */
@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
@TestProfile(StaleFeedTest.FailClosed.class)
class StaleFeedTest {

    public static class FailClosed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("myna.card-standing.fail-closed", "true", "myna.card-standing.max-staleness", "PT2S");
        }
    }

    @InjectRegistryMock
    WireMockServer registry;

    static String code() {
        return "sf" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    void registrySays(String linkCode, String standing) {
        registry.stubFor(post(urlEqualTo("/api/card-standings/lookup")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.linkCode", equalTo(linkCode)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"standing\":\"" + standing + "\"}")));
    }

    static void watermark(OffsetDateTime watermark) {
        given().auth().oauth2(Tokens.organisation("registry-service", "service")).contentType(ContentType.JSON)
                .body(Map.of("watermark", watermark.toString(), "asOf", OffsetDateTime.now().toString()))
                .post("/api/events/watermark").then().statusCode(204);
    }

    @Test
    void aRevokedCardsOldTokenIsRefusedAtEveryResidentEndpointOnceTheFeedIsStale() {
        String code = code();
        String token = Tokens.resident(code, "card-r");
        registrySays(code, "card-revoked");
        // Within the bound the copy is trusted: right after a fresh watermark the token passes (retried, for a slow machine).
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            watermark(OffsetDateTime.now().minusNanos(100_000_000));
            given().auth().oauth2(token).get("/api/me/eligibility-checks").then().statusCode(200);
        });

        // Refused once the copy is older than the bound (2 s); the rest of the window is for a loaded machine.
        await().atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Problems.assertProblem(given().auth().oauth2(token).get("/api/me/eligibility-checks"), 401, "card-revoked"));
        Problems.assertProblem(given().auth().oauth2(token).get("/api/me/coverage"), 401, "card-revoked");
    }

    /**
     * The platform's cache of the registry's "good" (shared with the wallet): while the feed is stale, a card the
     * registry called good is not asked about again for half the bound, so a long lag does not turn every resident
     * request into a registry call; the cache then lets go, and a revocation after the "good" is refused within the
     * bound all the same.
     */
    @Test
    void aGoodAnswerServesTheCardForHalfTheBoundAndARevocationStillLandsWithinIt() throws Exception {
        String code = code();
        String token = Tokens.resident(code, "card-c");
        registrySays(code, "good");
        watermark(OffsetDateTime.now().minusSeconds(60));

        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(token).get("/api/me/coverage").then().statusCode(200);
        }
        long took = System.nanoTime() - start;
        int asked = lookups(code);
        // One call per half-bound the burst spanned (one, unless this machine is very slow).
        assertThat(asked).as("registry calls for five requests in %d ms", took / 1_000_000)
                .isBetween(1, 1 + (int) (took / HALF_BOUND.toNanos()));

        Thread.sleep(HALF_BOUND.plusMillis(200).toMillis());
        given().auth().oauth2(token).get("/api/me/coverage").then().statusCode(200);
        assertThat(lookups(code)).as("asked again once half the bound has passed").isEqualTo(asked + 1);

        registrySays(code, "card-revoked");
        await().atMost(BOUND.plusSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                Problems.assertProblem(given().auth().oauth2(token).get("/api/me/coverage"), 401, "card-revoked"));
        Problems.assertProblem(given().auth().oauth2(token).get("/api/me/eligibility-checks"), 401, "card-revoked");
    }

    static final Duration BOUND = Duration.ofSeconds(2);
    static final Duration HALF_BOUND = BOUND.dividedBy(2);

    int lookups(String code) {
        return registry.findAll(postRequestedFor(urlEqualTo("/api/card-standings/lookup"))
                .withRequestBody(matchingJsonPath("$.linkCode", equalTo(code)))).size();
    }

    @Test
    void anUnreachableRegistryIsA503NeverAPass() {
        String code = code();
        registry.stubFor(post(urlEqualTo("/api/card-standings/lookup")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.linkCode", equalTo(code)))
                .willReturn(aResponse().withStatus(500)));
        watermark(OffsetDateTime.now().minusSeconds(60));
        Problems.assertProblem(given().auth().oauth2(Tokens.resident(code, "card-u")).get("/api/me/coverage"), 503,
                "card-standing-unavailable");
    }
}
