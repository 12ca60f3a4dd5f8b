package org.myna.suite.fuzz;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Row counts and checksums of a service's named domain tables, read from its database while it runs. The checksum is
 * order-independent (a sum of each row's SHA-256 prefix), so a snapshot is comparable however the rows come back.
 * Log-like tables that a refusal may rightly write (access log, challenges, consumed tokens, idempotency records,
 * probes) are not named.
 */
public final class DomainState implements AutoCloseable {

    private final Connection connection;
    private final String schema;
    private final List<String> tables;

    public DomainState(String url, String user, String password, String schema, List<String> tables) throws SQLException {
        this.connection = DriverManager.getConnection(url, user, password);
        this.connection.setReadOnly(true);
        this.schema = schema;
        this.tables = tables;
    }

    public record Table(long rows, long checksum) {
    }

    public Map<String, Table> snapshot() {
        Map<String, Table> state = new LinkedHashMap<>();
        try (Statement st = connection.createStatement()) {
            for (String table : tables) {
                long rows = 0;
                long sum = 0;
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + schema + "." + table)) {
                    int columns = rs.getMetaData().getColumnCount();
                    StringBuilder row = new StringBuilder();
                    while (rs.next()) {
                        row.setLength(0);
                        for (int c = 1; c <= columns; c++) {
                            Object v = rs.getObject(c);
                            row.append(v instanceof byte[] b ? java.util.Arrays.toString(b) : Objects.toString(v)).append('\u0001');
                        }
                        sum += digest(row.toString());
                        rows++;
                    }
                }
                state.put(table, new Table(rows, sum));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + schema + ": " + e.getMessage(), e);
        }
        return state;
    }

    static String diff(Map<String, Table> before, Map<String, Table> after) {
        StringBuilder b = new StringBuilder();
        before.forEach((table, t) -> {
            Table a = after.get(table);
            if (!t.equals(a)) {
                b.append(table).append(" rows ").append(t.rows()).append("→").append(a.rows()).append(t.rows() == a.rows() ? " (changed)" : "").append("; ");
            }
        });
        return b.toString();
    }

    private static long digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
