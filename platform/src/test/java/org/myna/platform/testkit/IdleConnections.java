package org.myna.platform.testkit;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * For the regression test of h2database #4302 (H2 2.4.240): a {@code CHECK (x IN (...))} kept the session that compiled
 * it, and once the pool closed that connection every write into such a table failed. Each service closes the
 * connections of its start-up, drives its flows, then {@link #rewriteEveryTableWithAnInCheck} proves every such table.
 */
public final class IdleConnections {

    private IdleConnections() {
    }

    /** The pool removes what sits idle for a second, as it does after five minutes in production. */
    public static class ShortIdleRemoval implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.idle-removal-interval", "PT1S",
                    "quarkus.datasource.jdbc.enable-metrics", "true");
        }
    }

    /** Waits until every connection opened so far (Flyway's among them) is closed. */
    public static void closeEveryConnectionOfStartUp(AgroalDataSource dataSource) {
        long openedSoFar = dataSource.getMetrics().creationCount();
        // Idle removal closes what sits idle; a connection a scheduler keeps reusing goes when it is returned.
        dataSource.flush(AgroalDataSource.FlushMode.GRACEFUL);
        await().atMost(Duration.ofSeconds(20)).until(() -> dataSource.getMetrics().destroyCount() >= openedSoFar);
    }

    /**
     * Every table of the schema with an IN check holds rows (so the flows wrote it) and takes a rewrite of each row,
     * which evaluates its checks again. Answers the tables, for the caller to name the ones it expects.
     */
    public static List<String> rewriteEveryTableWithAnInCheck(AgroalDataSource dataSource, String schema) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            List<String> tables = tablesWithInChecks(statement, schema);
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("select count(*) from " + schema + "." + table)) {
                    rows.next();
                    assertThat(rows.getLong(1)).as("rows in %s", table).isPositive();
                }
                String column = firstColumn(statement, schema, table);
                statement.executeUpdate("update " + schema + "." + table + " set " + column + " = " + column);
            }
            return tables;
        }
    }

    /** H2 writes such a check as {@code x IN(...)}, PostgreSQL as {@code x = ANY (ARRAY[...])}; both write a one-value IN as '='. */
    static List<String> tablesWithInChecks(Statement statement, String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("""
                select distinct tc.table_name from information_schema.table_constraints tc
                join information_schema.check_constraints cc
                  on cc.constraint_schema = tc.constraint_schema and cc.constraint_name = tc.constraint_name
                where tc.table_schema = '%s' and tc.constraint_type = 'CHECK'
                  and (upper(cc.check_clause) like '%% IN(%%' or upper(cc.check_clause) like '%% IN (%%'
                       or upper(cc.check_clause) like '%%= ANY%%')
                order by 1""".formatted(schema))) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    static String firstColumn(Statement statement, String schema, String table) throws SQLException {
        try (ResultSet rs = statement.executeQuery("select column_name from information_schema.columns where table_schema = '"
                + schema + "' and table_name = '" + table + "' order by ordinal_position")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
