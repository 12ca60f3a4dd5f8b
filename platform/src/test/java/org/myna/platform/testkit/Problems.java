package org.myna.platform.testkit;

import io.restassured.response.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** Assertions on problem+json answers (RFC 9457 with the suite's stable {@code code}). */
public final class Problems {

    private Problems() {
    }

    public static void assertProblem(Response response, int status, String code) {
        response.then().statusCode(status).contentType(startsWith("application/problem+json")).body("code", equalTo(code));
    }

    /** A 401 for a token refused for its card; it carries no token and no individual number. */
    public static void assertTokenRefused(Response response, String code) {
        assertProblem(response, 401, code);
        assertThat(response.asString()).doesNotContain("eyJ").doesNotContain("\"number\"");
    }
}
