package org.myna.registry.common;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.platform.testkit.IdleConnections;
import org.myna.registry.seal.SealFixtures;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** h2database #4302 for this service ({@link IdleConnections}): its flows write every table with an IN check. */
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

        String number = Residents.register(Residents.sample());
        CardFlow.Issued holder = CardFlow.activeCardFor(number);
        CardFlow.login(holder.card(), "wallet");
        given().auth().oauth2(CardFlow.operationToken(holder.card(), "register-public-fund-account", "registry"))
                .contentType(ContentType.JSON)
                .body(Map.of("bankCode", "0001", "branchCode", "123", "accountType", "ordinary",
                        "accountNumber", "7654321", "holderKana", "ヤマダハナコ"))
                .put("/api/me/public-fund-account").then().statusCode(200);
        String registrationCard = given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON)
                .body(Map.of("number", number, "image", Base64.getEncoder().encodeToString(SealFixtures.png()), "mediaType", "image/png"))
                .post("/api/seals").then().statusCode(201).extract().path("registrationCardNumber");
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON)
                .body(Map.of("registrationCardNumber", registrationCard))
                .post("/api/seal-certificates").then().statusCode(201);
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("number", number, "dateOfDeath", "2026-01-02"))
                .post("/api/residents/deaths").then().statusCode(200);

        // Whatever flow wrote them, every such table has rows, and rewriting each row passes its checks again.
        assertThat(IdleConnections.rewriteEveryTableWithAnInCheck(dataSource, "registry")).contains("resident", "card", "outbox_delivery");
    }
}
