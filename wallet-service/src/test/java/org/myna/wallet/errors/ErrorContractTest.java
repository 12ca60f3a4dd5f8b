package org.myna.wallet.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.myna.platform.testkit.Problems;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

/**
 * Issue 20 on the wallet: a repeated key silently kept the last value (a campaign's budget could say one thing to a
 * reviewer's parser and another to the service); a fraction or a string where points are required was coerced.
 */
@QuarkusTest
class ErrorContractTest {

    static String campaign(String id) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("name", "small");
        body.put("budget", 15_000);
        body.put("startsAt", OffsetDateTime.now().minusDays(1).toString());
        body.put("endsAt", OffsetDateTime.now().plusDays(1).toString());
        body.put("rules", Wallet.standardRules());
        return new ObjectMapper().writeValueAsString(body);
    }

    static Response post(String json) {
        return given().auth().oauth2(Tokens.auditor()).contentType("application/json").body(json).post("/api/campaigns");
    }

    static void assertNamesField(Response answer, String code, String field) {
        Problems.assertProblem(answer, 400, code);
        answer.then().body("violations.field", hasItem(field));
        assertThat(answer.asString()).doesNotContain("java.", "com.fasterxml", "Exception");
    }

    static void assertNoCampaign(String id) {
        given().auth().oauth2(Tokens.auditor()).get("/api/campaigns/" + id + "/report").then().statusCode(404);
    }

    @Test
    void aRepeatedKeyIsRefusedInsteadOfKeepingTheLastValue() throws Exception {
        String id = "dup-" + System.nanoTime();
        String twice = campaign(id).replace("\"budget\":15000", "\"budget\":15000,\"budget\":999999999");
        assertNamesField(post(twice), "duplicate-field", "budget");
        assertNoCampaign(id);
    }

    @Test
    void pointsAreWholeNumbersNotFractionsOrStrings() throws Exception {
        String id = "frac-" + System.nanoTime();
        assertNamesField(post(campaign(id).replace("\"budget\":15000", "\"budget\":15000.9")), "invalid-field-value", "budget");
        assertNamesField(post(campaign(id).replace("\"budget\":15000", "\"budget\":\"15000\"")), "invalid-field-type", "budget");
        assertNamesField(post(campaign(id).replace("\"name\":\"small\"", "\"name\":12")), "invalid-field-type", "name");
        assertNoCampaign(id);
    }

    @Test
    void routingAnswersCarryCodes() {
        Problems.assertProblem(given().get("/api/no-such-thing"), 404, "not-found");
        Problems.assertProblem(given().auth().oauth2(Tokens.auditor()).contentType("text/plain").body("x").post("/api/campaigns"),
                415, "unsupported-media-type");
    }
}
