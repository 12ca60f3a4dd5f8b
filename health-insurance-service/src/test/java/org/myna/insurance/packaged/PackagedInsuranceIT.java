package org.myna.insurance.packaged;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.Tokens;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The packaged artifact (the jar here, the native executable where `-Pnative` builds one) over HTTP only: token
 * verification (RS256), Jackson records, the schema, eligibility challenges (HMAC) and problem+json.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedVerifyKey.class)
class PackagedInsuranceIT {

    @Test
    void startsHealthyWithItsSchemaAndDocuments() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void anInsurerIsCreatedAndReadByAFacility() {
        String client = Fixtures.newClient();
        String number = Fixtures.insurer(client);
        given().auth().oauth2(Tokens.facility()).get("/api/insurers/" + number)
                .then().statusCode(200).body("name", equalTo("テスト健康保険組合"));
    }

    @Test
    void badInputAndMissingTokensAreProblemsNeverA500() {
        given().auth().oauth2(Tokens.insurer(Fixtures.newClient())).contentType(ContentType.JSON)
                .body(Map.of("insurerNumber", "0113001", "name", "x", "corporateNumber", "7000012050002"))
                .post("/api/insurers").then().statusCode(400).contentType(startsWith("application/problem+json"));
        given().get("/api/insurers/01130012").then().statusCode(401);
    }
}
