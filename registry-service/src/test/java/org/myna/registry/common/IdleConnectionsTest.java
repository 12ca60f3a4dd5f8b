package org.myna.registry.common;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.registry.seal.SealFixtures;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * H2 2.4.240 kept the session that compiled a {@code CHECK (x IN (...))} as the comparator of its constant set: once
 * the pool closed that connection (Flyway's, idle for five minutes), every write into such a table failed until
 * restart. Here the pool closes every connection of start-up, then every table with such a check takes writes.
 */
@QuarkusTest
@TestProfile(IdleConnectionsTest.ShortIdleRemoval.class)
class IdleConnectionsTest {

    public static class ShortIdleRemoval implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.idle-removal-interval", "PT1S",
                    "quarkus.datasource.jdbc.enable-metrics", "true");
        }
    }

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

        String number = Residents.register(Residents.sample());
        CardFlow.Issued holder = CardFlow.activeCardFor(number);
        CardFlow.login(holder.card(), "wallet");
        given().auth().oauth2(CardFlow.operationToken(holder.card(), "register-public-fund-account", "registry"))
                .contentType(ContentType.JSON)
                .body(Map.of("bankCode", "0001", "branchCode", "123", "accountType", "ordinary",
                        "accountNumber", "7654321", "holderKana", "ヤマダハナコ"))
                .put("/api/me/public-fund-account").then().statusCode(200);
        String registrationCard = given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON)
                .body(Map.of("image", Base64.getEncoder().encodeToString(SealFixtures.png()), "mediaType", "image/png"))
                .post("/api/residents/" + number + "/seal").then().statusCode(201).extract().path("registrationCardNumber");
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON)
                .body(Map.of("registrationCardNumber", registrationCard))
                .post("/api/seal-certificates").then().statusCode(201);
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("dateOfDeath", "2026-01-02"))
                .post("/api/residents/" + number + "/death").then().statusCode(200);

        // Whatever flow wrote them, every such table has rows, and rewriting each row passes its checks again.
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            List<String> tables = tablesWithInChecks(statement);
            assertThat(tables).contains("resident", "card", "outbox_delivery");
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("select count(*) from registry." + table)) {
                    rows.next();
                    assertThat(rows.getLong(1)).as("rows in %s", table).isPositive();
                }
                statement.executeUpdate("update registry." + table + " set " + firstColumn(statement, table) + " = " + firstColumn(statement, table));
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
                where tc.table_schema = 'registry' and tc.constraint_type = 'CHECK'
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
        try (ResultSet rs = statement.executeQuery("select column_name from information_schema.columns where table_schema = 'registry'"
                + " and table_name = '" + table + "' order by ordinal_position")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
