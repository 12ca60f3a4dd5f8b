package org.myna.registry.support;

import io.restassured.RestAssured;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tokens of the demo clients, fetched once per test run through the real client-credentials endpoint. */
public final class Tokens {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Tokens() {
    }

    public static String of(String clientId) {
        return CACHE.computeIfAbsent(clientId, id -> RestAssured.given()
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", id)
                .formParam("client_secret", id + "-secret")
                .post("/oauth2/token")
                .then().statusCode(200)
                .extract().path("access_token"));
    }

    public static String clerk() {
        return of("demo-clerk");
    }

    public static String auditor() {
        return of("demo-auditor");
    }
}
