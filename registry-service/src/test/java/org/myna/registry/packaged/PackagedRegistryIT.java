package org.myna.registry.packaged;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * The packaged artifact (the jar here, the native executable where `-Pnative` builds one) over HTTP only: what a
 * native image breaks first — BouncyCastle's CSR checks and certificate issuance, EC signatures, RSA token signing,
 * Jackson records, problem+json, Flyway and Hibernate at start — exercised end to end.
 */
@QuarkusIntegrationTest
class PackagedRegistryIT {

    @Test
    void startsHealthyWithItsSchemaAndDocuments() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
        given().get("/.well-known/jwks.json").then().statusCode(200).body("keys", hasSize(1)).body("keys[0].kty", equalTo("RSA"));
    }

    @Test
    void aCardIsIssuedByTheCaAndItsHolderLogsInWithIt() {
        CardFlow.Issued issued = CardFlow.newHolder();
        String token = CardFlow.login(issued.card(), "registry");
        given().auth().oauth2(token).get("/api/me").then().statusCode(200).body("number", equalTo(issued.number()));
        CardFlow.revoke(issued.cardId(), "lost");
        CardFlow.tokenResponse(issued.card(), "registry").then().statusCode(401).body("code", equalTo("certificate-revoked"));
    }

    @Test
    void badInputIsAProblemNeverA500() {
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body("{\"familyName\":")
                .post("/api/residents").then().statusCode(400).contentType(startsWith("application/problem+json"));
        Map<String, Object> resident = Residents.sample();
        resident.put("dateOfBirth", "not-a-date");
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(resident)
                .post("/api/residents").then().statusCode(400).contentType(startsWith("application/problem+json"));
        given().contentType(ContentType.JSON).body("{}").post("/api/residents").then().statusCode(401);
    }
}
