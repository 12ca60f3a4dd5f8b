package org.myna.wallet.packaged;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The packaged artifact (the jar here, the native executable where `-Pnative` builds one) over HTTP only: token
 * verification (RS256), Jackson records in and out, the ledger's schema and problem+json.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedVerifyKey.class)
class PackagedWalletIT {

    @Test
    void startsHealthyWithItsSchemaAndDocuments() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void anAuditorCreatesACampaignAndReadsItsReport() {
        String id = "packaged-" + System.nanoTime();
        Map<String, Object> body = new HashMap<>();
        body.put("id", id);
        body.put("name", "packaged");
        body.put("budget", 15_000);
        body.put("startsAt", OffsetDateTime.now().minusDays(1).toString());
        body.put("endsAt", OffsetDateTime.now().plusDays(1).toString());
        body.put("rules", Wallet.standardRules());
        Wallet.post(Tokens.auditor(), "/api/campaigns", body).then().statusCode(201).body("budget", equalTo(15_000));
        given().auth().oauth2(Tokens.auditor()).get("/api/campaigns/" + id + "/report").then().statusCode(200)
                .body("remaining", equalTo(15_000));
        given().auth().oauth2(Tokens.auditor()).get("/api/ledger/trial-balance").then().statusCode(200);
    }

    @Test
    void badInputAndMissingTokensAreProblemsNeverA500() {
        Wallet.as(Tokens.auditor()).header("Idempotency-Key", Wallet.key()).body("{\"surprise\":1}").post("/api/campaigns")
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
        given().get("/api/campaigns/mynapoint-2/report").then().statusCode(401);
        given().auth().oauth2("not.a.token").get("/api/campaigns/mynapoint-2/report").then().statusCode(401);
    }
}
