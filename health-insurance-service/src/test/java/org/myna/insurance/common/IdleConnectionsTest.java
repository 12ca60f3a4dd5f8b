package org.myna.insurance.common;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.Tokens;
import org.myna.platform.testkit.IdleConnections;

import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** h2database #4302 for this service ({@link IdleConnections}): its flows write every table with an IN check. */
@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
@TestProfile(IdleConnections.ShortIdleRemoval.class)
class IdleConnectionsTest {

    @InjectRegistryMock
    WireMockServer registry;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void everyTableWithAnInCheckTakesWritesAfterThePoolClosedTheConnectionsOfStartUp() throws SQLException {
        IdleConnections.closeEveryConnectionOfStartUp(dataSource);
        // Liveness writes such a table too: an engine in that state would be restarted, not left serving reads.
        given().get("/q/health/live").then().statusCode(200);

        // insurer and member: an insurer enrols a member the registry links
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", "花子");
        // eligibility_check: a clinic's fallback check by the numbers on the insurance card
        given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION)
                .contentType(ContentType.JSON)
                .body(Map.of("insurerNumber", member.insurerNumber(), "symbol", member.body().get("symbol"),
                        "number", member.body().get("number"), "branch", member.body().get("branch"),
                        "dateOfBirth", "1990-04-01"))
                .post("/api/eligibility/number-checks").then().statusCode(200).body("result", equalTo("covered"));
        // reconciliation: an auditor's run, written when it starts and again when it finishes
        Number run = given().auth().oauth2(Tokens.auditor()).post("/api/reconciliations")
                .then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> !"running".equals(
                given().auth().oauth2(Tokens.auditor()).get("/api/reconciliations/" + run).then().extract().path("status")));
        given().auth().oauth2(Tokens.auditor()).get("/api/reconciliations/" + run)
                .then().statusCode(200).body("status", equalTo("finished"));
        // card_standing: the registry's card event
        given().auth().oauth2(Tokens.organisation("registry-service", "service")).contentType(ContentType.JSON)
                .body(Map.of("eventId", UUID.randomUUID().toString(), "type", "card-revoked", "linkCode", member.linkCode(),
                        "occurredAt", OffsetDateTime.now().toString(), "cardRef", "card-a"))
                .post("/api/events").then().statusCode(204);

        // Whatever flow wrote them, every such table has rows, and rewriting each row passes its checks again.
        assertThat(IdleConnections.rewriteEveryTableWithAnInCheck(dataSource, "insurance")).contains("insurer", "member", "eligibility_check", "reconciliation", "card_standing");
    }
}
