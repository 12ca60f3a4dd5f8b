package org.myna.wallet.packaged;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.myna.platform.testkit.PackagedServiceContract;
import org.myna.platform.testkit.PackagedVerifyKey;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The packaged wallet (platform {@link PackagedServiceContract}), with a campaign on the ledger's schema. */
@QuarkusIntegrationTest
@WithTestResource(PackagedVerifyKey.class)
class PackagedWalletIT extends PackagedServiceContract {

    @Override
    protected List<Supplier<Response>> badRequests() {
        return List.of(() -> Wallet.as(Tokens.auditor()).header("Idempotency-Key", Wallet.key()).body("{\"surprise\":1}").post("/api/campaigns"));
    }

    @Override
    protected String protectedPath() {
        return "/api/campaigns/mynapoint-2/report";
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
}
