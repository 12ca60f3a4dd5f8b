package org.myna.registry.support;

import io.restassured.RestAssured;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens of the demo clients through the real client-credentials endpoint, reused for a minute (tokens live five,
 * and a long run on a loaded machine must not outlive them).
 */
public final class Tokens {

    private record Cached(String token, long fetchedAt) {
    }

    private static final long REUSE_MILLIS = 60_000;
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

    private Tokens() {
    }

    public static String of(String clientId) {
        return CACHE.compute(clientId, (id, cached) -> cached != null && System.currentTimeMillis() - cached.fetchedAt() < REUSE_MILLIS
                ? cached : new Cached(fetch(id), System.currentTimeMillis())).token();
    }

    private static String fetch(String id) {
        return RestAssured.given()
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", id)
                .formParam("client_secret", id + "-secret")
                .post("/oauth2/token")
                .then().statusCode(200)
                .extract().path("access_token");
    }

    public static String clerk() {
        return of("demo-clerk");
    }

    public static String auditor() {
        return of("demo-auditor");
    }
}
