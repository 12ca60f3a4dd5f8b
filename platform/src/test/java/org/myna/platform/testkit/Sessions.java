package org.myna.platform.testkit;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Database sessions killed as an administrator would, to prove that a writer replaces a broken connection. */
public final class Sessions {

    private Sessions() {
    }

    /**
     * Kills the session of {@code victim} from another connection of {@code admin} (PostgreSQL's
     * {@code pg_terminate_backend}, waiting up to 5 s until the backend is gone, so the victim's next statement meets a
     * dead session; H2's {@code abort_session}).
     */
    public static void kill(DataSource admin, Connection victim) throws SQLException {
        boolean postgres = victim.getMetaData().getDatabaseProductName().startsWith("PostgreSQL");
        long session;
        try (PreparedStatement q = victim.prepareStatement(postgres ? "select pg_backend_pid()" : "select session_id()");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            session = rs.getLong(1);
        }
        try (Connection other = admin.getConnection();
             PreparedStatement q = other.prepareStatement(postgres ? "select pg_terminate_backend(?, 5000)" : "select abort_session(?)")) {
            q.setInt(1, (int) session);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("session killed").isTrue();
            }
        }
    }
}
