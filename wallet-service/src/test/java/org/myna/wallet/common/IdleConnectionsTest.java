package org.myna.wallet.common;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.platform.testkit.IdleConnections;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.myna.wallet.support.Wallet.PROVIDER;

/**
 * The regression test of h2database #4302 for this service ({@link IdleConnections}): its flows write every table
 * with an IN check. The fake registry comes from {@link org.myna.wallet.support.WalletTestResources}.
 */
@QuarkusTest
@TestProfile(IdleConnections.ShortIdleRemoval.class)
class IdleConnectionsTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void everyTableWithAnInCheckTakesWritesAfterThePoolClosedTheConnectionsOfStartUp() throws SQLException {
        IdleConnections.closeEveryConnectionOfStartUp(dataSource);
        // Liveness writes such a table too: an engine in that state would be restarted, not left serving reads.
        given().get("/q/health/live").then().statusCode(200);

        // ledger_account (the campaign's budget, the resident's account) and transfer (the grant)
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        String account = Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        Wallet.apply(resident, campaign, "insurance-link").then().statusCode(201)
                .body("status", equalTo("granted")).body("points", equalTo(7500));
        // redemption_authorization (a two-phase redemption's hold)
        Wallet.post(Tokens.payment(PROVIDER), "/api/authorizations", Map.of("paymentAccount", account, "merchantCorporateNumber",
                Wallet.merchant(PROVIDER), "amount", 100, "campaign", campaign)).then().statusCode(201);
        // card_standing: the registry's card event
        String linkCode = "wl" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        given().auth().oauth2(Tokens.organisation("registry-service", "service")).contentType(ContentType.JSON)
                .body(Map.of("eventId", UUID.randomUUID().toString(), "type", "card-revoked", "linkCode", linkCode,
                        "occurredAt", OffsetDateTime.now().toString(), "cardRef", "card-a"))
                .post("/api/events").then().statusCode(204);

        // Whatever flow wrote them, every such table has rows, and rewriting each row passes its checks again.
        assertThat(IdleConnections.rewriteEveryTableWithAnInCheck(dataSource, "wallet")).contains("ledger_account", "transfer", "card_standing");
    }
}
