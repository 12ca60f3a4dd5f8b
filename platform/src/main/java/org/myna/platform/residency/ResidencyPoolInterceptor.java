package org.myna.platform.residency;

import io.agroal.api.AgroalPoolInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;

/**
 * At connect time: every new physical connection of the default datasource re-resolves the database host first; one
 * that now resolves outside the declared networks is closed and refused (a failover to a replica abroad stops at the
 * next connection, not at the next probe).
 */
@ApplicationScoped
public class ResidencyPoolInterceptor implements AgroalPoolInterceptor {

    private final ResidencyGuard guard;

    ResidencyPoolInterceptor(ResidencyGuard guard) {
        this.guard = guard;
    }

    @Override
    public void onConnectionCreate(Connection connection) {
        guard.checkDatasource().ifPresent(violation -> {
            try {
                connection.close();
            } catch (java.sql.SQLException ignored) {
                // refused either way
            }
            throw new IllegalStateException(guard.message(violation));
        });
    }
}
