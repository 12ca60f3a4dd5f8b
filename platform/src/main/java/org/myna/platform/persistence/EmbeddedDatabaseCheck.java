package org.myna.platform.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Liveness on the embedded database: can it still write? An embedded engine can break so that reads and readiness
 * stay up while every write fails (H2 2.4.240 did, h2database #4302); only a restart heals it, so liveness writes one
 * row of a table with an IN check. On PostgreSQL there is no write probe: during a failover it would take every replica
 * out of service at once; reachability stays with the datasource readiness check.
 */
@Liveness
@ApplicationScoped
public class EmbeddedDatabaseCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabaseCheck.class);
    public static final String NAME = "embedded-database-write";

    private final AgroalDataSource dataSource;
    private final boolean embedded;
    private final String probe;

    EmbeddedDatabaseCheck(AgroalDataSource dataSource, @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind,
                          @ConfigProperty(name = "quarkus.flyway.default-schema") String schema) {
        this.dataSource = dataSource;
        this.embedded = "h2".equals(dbKind);
        this.probe = "update " + schema + ".liveness_probe set state = 'written', written_at = current_timestamp where id = 1";
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        if (!embedded) {
            return response.up().withData("probe", "off (not an embedded database)").build();
        }
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            // A pool with no free connection is busy, not broken: restarting a loaded service would not help it.
            return response.up().withData("probe", "skipped (no free connection)").build();
        }
        try (connection; PreparedStatement update = connection.prepareStatement(probe)) {
            if (update.executeUpdate() != 1) {
                throw new SQLException("the liveness probe row is missing");
            }
            return response.up().build();
        } catch (SQLException | RuntimeException e) {
            LOG.error("the embedded database refused the liveness write: the service needs a restart", e);
            return response.down().withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
