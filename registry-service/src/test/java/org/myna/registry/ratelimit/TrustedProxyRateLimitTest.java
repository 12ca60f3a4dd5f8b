package org.myna.registry.ratelimit;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.myna.platform.testkit.Problems.assertProblem;
import static org.myna.registry.ratelimit.SmallLimits.LIMIT;

/** Behind a trusted ingress, the allowance belongs to the address the proxy forwarded, not to the proxy. */
@QuarkusTest
@TestProfile(SmallLimits.BehindThisProxy.class)
class TrustedProxyRateLimitTest {

    private static Response challenge(String forwardedFor) {
        return forwardedFor == null ? given().post("/api/auth/challenges")
                : given().header("X-Forwarded-For", forwardedFor).post("/api/auth/challenges");
    }

    @Test
    void theForwardedClientAddressIsCountedNotTheProxy() {
        for (int i = 0; i < LIMIT; i++) {
            challenge("203.0.113.5").then().statusCode(200);
        }
        Response refused = challenge("203.0.113.5");
        assertProblem(refused, 429, "rate-limited");
        refused.then().header("Retry-After", org.hamcrest.Matchers.notNullValue());
        // another client behind the same proxy, and the proxy itself, still have their own allowance
        challenge("203.0.113.6").then().statusCode(200);
        challenge(null).then().statusCode(200);
    }

    @Test
    void addressesOfOneIpv6SubscriberNetworkShareTheirAllowance() {
        for (int i = 0; i < LIMIT; i++) {
            given().header("X-Forwarded-For", "2001:db8:7:7::" + (i + 1)).contentType("application/json")
                    .body("{\"number\":\"123456789018\"}").post("/api/individual-numbers/check").then().statusCode(200);
        }
        assertProblem(given().header("X-Forwarded-For", "2001:db8:7:7:ffff::1").contentType("application/json")
                .body("{\"number\":\"123456789018\"}").post("/api/individual-numbers/check"), 429, "rate-limited");
        given().header("X-Forwarded-For", "2001:db8:7:8::1").contentType("application/json")
                .body("{\"number\":\"123456789018\"}").post("/api/individual-numbers/check").then().statusCode(200);
    }
}
