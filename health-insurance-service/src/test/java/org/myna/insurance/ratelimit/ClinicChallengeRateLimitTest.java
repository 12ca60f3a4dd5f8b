package org.myna.insurance.ratelimit;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.Tokens;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.myna.platform.testkit.Problems.assertProblem;

/**
 * Issue 19 (Also): the clinic's challenge endpoint is limited per client address (429 rate-limited, Retry-After), and
 * a forwarding header counts only from a trusted proxy: 127.0.0.1 is trusted here, so its forwarded clients are
 * counted apart; from an address that is not a trusted proxy the header would be ignored (registry's tests).
 */
@QuarkusTest
@TestProfile(ClinicChallengeRateLimitTest.SmallLimit.class)
class ClinicChallengeRateLimitTest {

    static final int LIMIT = 3;

    public static class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rate-limit.enabled", "true",
                    "rate-limit.groups.clinic-challenge.limit", Integer.toString(LIMIT),
                    "rate-limit.groups.clinic-challenge.period", "PT1M",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.0/8");
        }
    }

    private static Response challenge(String forwardedFor) {
        var request = given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION);
        return (forwardedFor == null ? request : request.header("X-Forwarded-For", forwardedFor)).post("/api/eligibility/challenges");
    }

    @Test
    void challengesPastTheLimitAre429WithRetryAfterPerForwardedClient() {
        for (int i = 0; i < LIMIT; i++) {
            challenge("203.0.113.40").then().statusCode(201);
        }
        Response refused = challenge("203.0.113.40");
        assertProblem(refused, 429, "rate-limited");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(refused.asString()).doesNotContain("nonce");
        challenge("203.0.113.41").then().statusCode(201);
        challenge(null).then().statusCode(201);
    }

    @Test
    void otherEndpointsOfTheFacilityAreNotLimited() {
        for (int i = 0; i < LIMIT * 3; i++) {
            given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION)
                    .header("X-Forwarded-For", "203.0.113.50").contentType("application/json").body("{}")
                    .post("/api/eligibility/certificate-checks").then().statusCode(org.hamcrest.Matchers.not(429));
        }
    }
}
