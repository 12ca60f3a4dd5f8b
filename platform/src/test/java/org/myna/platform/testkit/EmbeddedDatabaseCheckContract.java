package org.myna.platform.testkit;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.myna.platform.persistence.EmbeddedDatabaseCheck;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Liveness tells the truth about an embedded database that can no longer write: the service is restarted. A service's
 * {@code @QuarkusTest} subclass runs it against its own schema.
 */
public abstract class EmbeddedDatabaseCheckContract {

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "quarkus.datasource.db-kind")
    String dbKind;

    @ConfigProperty(name = "quarkus.flyway.default-schema")
    String schema;

    @Test
    void livenessFailsWhileTheEmbeddedDatabaseRefusesWritesAndRecoversAfter() throws SQLException {
        String check = "checks.find { it.name == '" + EmbeddedDatabaseCheck.NAME + "' }";
        given().get("/q/health/live").then().statusCode(200).body("checks.name", hasItem(EmbeddedDatabaseCheck.NAME));
        if (!"h2".equals(dbKind)) {
            // PostgreSQL: no write probe (a failover would take every replica out); readiness checks reachability.
            given().get("/q/health/live").then().statusCode(200).body(check + ".data.probe", equalTo("off (not an embedded database)"));
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // Any write failure will do: the probe's table gone stands for an engine that refuses every write.
            s.execute("alter table " + schema + ".liveness_probe rename to liveness_probe_away");
            try {
                given().get("/q/health/live").then().statusCode(503).body("status", equalTo("DOWN"))
                        .body(check + ".status", equalTo("DOWN"));
            } finally {
                s.execute("alter table " + schema + ".liveness_probe_away rename to liveness_probe");
            }
        }
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
