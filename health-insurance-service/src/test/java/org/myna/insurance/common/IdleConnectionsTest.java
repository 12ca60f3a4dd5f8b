package org.myna.insurance.common;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.Tokens;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * H2 2.4.240 kept the session that compiled a {@code CHECK (x IN (...))} as the comparator of its constant set: once
 * the pool closed that connection (Flyway's, idle for five minutes), every write into such a table failed until
 * restart. Here the pool closes every connection of start-up, then every table with such a check takes writes.
 */
@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
@TestProfile(IdleConnectionsTest.ShortIdleRemoval.class)
class IdleConnectionsTest {

    public static class ShortIdleRemoval implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.idle-removal-interval", "PT1S",
                    "quarkus.datasource.jdbc.enable-metrics", "true");
        }
    }

    @InjectRegistryMock
    WireMockServer registry;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void everyTableWithAnInCheckTakesWritesAfterThePoolClosedTheConnectionsOfStartUp() throws SQLException {
        long openedSoFar = dataSource.getMetrics().creationCount();
        // Idle removal closes what sits idle; a connection a scheduler keeps reusing goes when it is returned.
        dataSource.flush(AgroalDataSource.FlushMode.GRACEFUL);
        await().atMost(Duration.ofSeconds(20)).until(() -> dataSource.getMetrics().destroyCount() >= openedSoFar);
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
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            List<String> tables = tablesWithInChecks(statement);
            assertThat(tables).contains("insurer", "member", "eligibility_check", "reconciliation", "card_standing");
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("select count(*) from insurance." + table)) {
                    rows.next();
                    assertThat(rows.getLong(1)).as("rows in %s", table).isPositive();
                }
                statement.executeUpdate("update insurance." + table + " set " + firstColumn(statement, table) + " = " + firstColumn(statement, table));
            }
        }
    }

    /** H2 writes such a check as {@code x IN(...)}, PostgreSQL as {@code x = ANY (ARRAY[...])}. */
    static List<String> tablesWithInChecks(Statement statement) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("""
                select distinct tc.table_name from information_schema.table_constraints tc
                join information_schema.check_constraints cc
                  on cc.constraint_schema = tc.constraint_schema and cc.constraint_name = tc.constraint_name
                where tc.table_schema = 'insurance' and tc.constraint_type = 'CHECK'
                  and (upper(cc.check_clause) like '% IN(%' or upper(cc.check_clause) like '% IN (%'
                       or upper(cc.check_clause) like '%= ANY%')
                order by 1""")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    static String firstColumn(Statement statement, String table) throws SQLException {
        try (ResultSet rs = statement.executeQuery("select column_name from information_schema.columns where table_schema = 'insurance'"
                + " and table_name = '" + table + "' order by ordinal_position")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
