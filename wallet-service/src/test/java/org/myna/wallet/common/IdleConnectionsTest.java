package org.myna.wallet.common;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

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
import static org.myna.wallet.support.Wallet.PROVIDER;

/**
 * H2 2.4.240 kept the session that compiled a {@code CHECK (x IN (...))} as the comparator of its constant set: once
 * the pool closed that connection (Flyway's, idle for five minutes), every write into such a table failed until
 * restart. Here the pool closes every connection of start-up, then every table with such a check takes writes.
 * The fake registry comes from {@link org.myna.wallet.support.WalletTestResources}, as for every test of the module.
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

        // ledger_account (the campaign's budget, the resident's account) and transfer (the grant)
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        Wallet.apply(resident, campaign, "insurance-link").then().statusCode(201)
                .body("status", equalTo("granted")).body("points", equalTo(7500));
        // card_standing: the registry's card event
        String linkCode = "wl" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        given().auth().oauth2(Tokens.organisation("registry-service", "service")).contentType(ContentType.JSON)
                .body(Map.of("eventId", UUID.randomUUID().toString(), "type", "card-revoked", "linkCode", linkCode,
                        "occurredAt", OffsetDateTime.now().toString(), "cardRef", "card-a"))
                .post("/api/events").then().statusCode(204);

        // Whatever flow wrote them, every such table has rows, and rewriting each row passes its checks again.
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            List<String> tables = tablesWithInChecks(statement);
            assertThat(tables).contains("ledger_account", "transfer", "card_standing");
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("select count(*) from wallet." + table)) {
                    rows.next();
                    assertThat(rows.getLong(1)).as("rows in %s", table).isPositive();
                }
                statement.executeUpdate("update wallet." + table + " set " + firstColumn(statement, table) + " = " + firstColumn(statement, table));
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
                where tc.table_schema = 'wallet' and tc.constraint_type = 'CHECK'
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
        try (ResultSet rs = statement.executeQuery("select column_name from information_schema.columns where table_schema = 'wallet'"
                + " and table_name = '" + table + "' order by ordinal_position")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
