package org.myna.registry.ratelimit;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.myna.platform.testkit.Problems.assertProblem;
import static org.myna.registry.ratelimit.SmallLimits.LIMIT;

/**
 * Issue 19 (Also): the unauthenticated endpoints that write or spend CPU answer 429 rate-limited with Retry-After
 * once an address has used its allowance, and an X-Forwarded-For from a peer that is not a trusted proxy changes
 * nothing: a client cannot take a fresh allowance by naming another address.
 */
@QuarkusTest
@TestProfile(SmallLimits.BehindAnotherProxy.class)
class UntrustedPeerRateLimitTest {

    private static Response tokenGrant(String forwardedFor) {
        return given().header("X-Forwarded-For", forwardedFor)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", "demo-clerk").formParam("client_secret", "not-the-secret")
                .post("/oauth2/token");
    }

    private static void assertRateLimited(Response r) {
        assertProblem(r, 429, "rate-limited");
        long retryAfter = Long.parseLong(r.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(r.asString()).doesNotContain("127.0.0.1").doesNotContain("203.0.113");
    }

    @Test
    void tokenGrantsPastTheLimitAre429WithRetryAfterWhateverForwardedForTheySpoof() {
        for (int i = 0; i < LIMIT; i++) {
            tokenGrant("203.0.113." + i).then().statusCode(401);
        }
        assertRateLimited(tokenGrant("203.0.113.99"));
        assertRateLimited(given().formParam("grant_type", "client_credentials")
                .formParam("client_id", "demo-clerk").formParam("client_secret", "demo-clerk-secret").post("/oauth2/token"));
        assertThat(given().get("/q/metrics").asString()).containsPattern("myna_rate_limited_total\\{[^}]*group=\"token\"[^}]*} [1-9]");
    }

    @Test
    void cardLoginChallengesPastTheLimitAre429AndNoChallengeIsMadeForThem() {
        for (int i = 0; i < LIMIT; i++) {
            given().header("X-Forwarded-For", "198.51.100." + i).post("/api/auth/challenges").then().statusCode(200);
        }
        Response refused = given().header("X-Forwarded-For", "198.51.100.99").post("/api/auth/challenges");
        assertRateLimited(refused);
        assertThat(refused.asString()).doesNotContain("challengeId");
        // tokens share the login's allowance: the next step of a login from this address waits as well
        assertRateLimited(given().contentType("application/json").body("{}").post("/api/auth/tokens"));
    }

    @Test
    void numberChecksPastTheLimitAre429() {
        for (int i = 0; i < LIMIT; i++) {
            given().contentType("application/json").body("{\"number\":\"123456789018\"}")
                    .post("/api/individual-numbers/check").then().statusCode(200);
        }
        assertRateLimited(given().contentType("application/json").body("{\"number\":\"123456789018\"}")
                .header("X-Forwarded-For", "192.0.2.77").post("/api/individual-numbers/check"));
    }

    @Test
    void endpointsWithoutALimitAreNotLimited() {
        for (int i = 0; i < LIMIT * 4; i++) {
            given().get("/.well-known/jwks.json").then().statusCode(200);
        }
    }
}
