package org.myna.platform.testkit;

import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * The packaged artifact (the jar, or the native executable where {@code -Pnative} builds one) over HTTP only: what a
 * native image or a packaging mistake breaks first — Flyway and Hibernate at start, the platform's health checks (the
 * data-residency guard among them), the OpenAPI document, Jackson and problem+json, token verification. A service's
 * {@code Packaged<Service>IT} (annotated {@code @QuarkusIntegrationTest}) extends this and adds a journey of its own.
 */
public abstract class PackagedServiceContract {

    /** Requests the service must refuse as 400 problem+json with a code: a malformed body, a wrong type, say. */
    protected abstract List<Supplier<Response>> badRequests();

    /** A GET that needs a token: without one, or with a forged one, it is a 401 problem. */
    protected abstract String protectedPath();

    @Test
    void startsHealthyWithItsSchemaAndDocuments() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                // the data-residency guard (platform) runs in the packaged service and shows in readiness
                .body("checks.find { it.name == 'data-residency' }.status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void badInputIsAProblemNeverA500() {
        for (Supplier<Response> request : badRequests()) {
            request.get().then().statusCode(400).contentType(startsWith("application/problem+json")).body("code", notNullValue());
        }
    }

    @Test
    void aMissingOrForgedTokenIsA401Problem() {
        given().get(protectedPath()).then().statusCode(401).contentType(startsWith("application/problem+json"));
        given().auth().oauth2("not.a.token").get(protectedPath()).then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
    }
}
