package org.myna.wallet.campaign;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;
import org.myna.platform.testkit.Pools;

import java.sql.Connection;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class CampaignResourceTest {

    @Inject
    AgroalDataSource dataSource;

    Map<String, Object> campaign(String id) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", id);
        body.put("name", "small");
        body.put("budget", 15_000);
        body.put("startsAt", OffsetDateTime.now().minusDays(1).toString());
        body.put("endsAt", OffsetDateTime.now().plusDays(1).toString());
        body.put("rules", Wallet.standardRules());
        return body;
    }

    @Test
    void auditorCreatesCampaignWithTinyBudget() {
        String id = "tiny-" + System.nanoTime();
        Wallet.post(Tokens.auditor(), "/api/campaigns", campaign(id)).then().statusCode(201)
                .body("budget", equalTo(15_000)).body("granted", equalTo(0)).body("rules.size()", equalTo(3));
        Wallet.post(Tokens.auditor(), "/api/campaigns", campaign(id)).then().statusCode(409).body("code", equalTo("campaign-exists"));
        given().auth().oauth2(Tokens.auditor()).get("/api/campaigns/" + id + "/report").then().statusCode(200)
                .body("budget", equalTo(15_000)).body("remaining", equalTo(15_000)).body("people", equalTo(0));
    }

    @Test
    void refusesBadCampaigns() {
        Map<String, Object> body = campaign("bad-" + System.nanoTime());
        body.put("budget", 0);
        Wallet.post(Tokens.auditor(), "/api/campaigns", body).then().statusCode(400).body("code", equalTo("invalid-budget"));
        body = campaign("bad-" + System.nanoTime());
        body.put("endsAt", OffsetDateTime.now().minusDays(2).toString());
        Wallet.post(Tokens.auditor(), "/api/campaigns", body).then().statusCode(400).body("code", equalTo("invalid-period"));
        body = campaign("bad-" + System.nanoTime());
        body.put("rules", List.of(Map.of("rule", "free-money", "kind", "fixed", "amount", 1)));
        Wallet.post(Tokens.auditor(), "/api/campaigns", body).then().statusCode(400).body("code", equalTo("invalid-rule"));
        body = campaign("bad-" + System.nanoTime());
        body.put("rules", List.of(Map.of("rule", "card-acquisition", "kind", "percent-back", "percent", 250, "cap", 5000)));
        Wallet.post(Tokens.auditor(), "/api/campaigns", body).then().statusCode(400).body("code", equalTo("invalid-rule"));
        body = campaign("Bad Id");
        Wallet.post(Tokens.auditor(), "/api/campaigns", body).then().statusCode(400).body("code", equalTo("invalid-campaign"));
        Wallet.as(Tokens.auditor()).header("Idempotency-Key", Wallet.key()).body("{\"id\":").post("/api/campaigns")
                .then().statusCode(400);
        Wallet.as(Tokens.auditor()).header("Idempotency-Key", Wallet.key()).body("{\"surprise\":1}").post("/api/campaigns")
                .then().statusCode(400);
    }

    @Test
    void onlyAuditorsCreateCampaignsAndReadReports() {
        Wallet.post(Tokens.payment(Wallet.PROVIDER), "/api/campaigns", campaign("x-" + System.nanoTime())).then().statusCode(403);
        given().auth().oauth2(Tokens.resident(Tokens.linkCode())).get("/api/campaigns/mynapoint-2/report").then().statusCode(403);
        given().auth().oauth2(Tokens.resident(Tokens.linkCode())).get("/api/ledger/trial-balance").then().statusCode(403);
        given().auth().oauth2(Tokens.auditor()).get("/api/campaigns/no-such/report").then().statusCode(404).body("code", equalTo("unknown-campaign"));
    }

    @Test
    void anExhaustedConnectionPoolIsA503BusyNeverA500() throws Exception {
        String id = "busy-" + System.nanoTime();
        Wallet.post(Tokens.auditor(), "/api/campaigns", campaign(id)).then().statusCode(201);
        // Every connection of the pool taken (by this test, standing in for a burst of slow work), the ledger writer's
        // kept one included.
        List<Connection> held = Pools.exhaust(dataSource);
        try {
            given().auth().oauth2(Tokens.auditor()).get("/api/campaigns/" + id + "/report")
                    .then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "1").body("code", equalTo("busy"));
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        given().auth().oauth2(Tokens.auditor()).get("/api/campaigns/" + id + "/report").then().statusCode(200)
                .body("budget", equalTo(15_000));
    }
}
