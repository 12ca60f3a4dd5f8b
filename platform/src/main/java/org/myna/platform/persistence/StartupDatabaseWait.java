package org.myna.platform.persistence;

import io.agroal.api.AgroalDataSource;
import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A start waits for its database, bounded: Flyway asks for the first connection at start and retries one the pool
 * could not hand out ({@code quarkus.flyway.connect-retries}, {@code connect-retries-interval}) — a database still
 * starting, or a loaded machine's first connection slower than the pool's acquisition timeout, which once killed a
 * start. The pool's acquisition timeout, how fast an overloaded service answers 503, is not lengthened for it.
 * Flyway's own warning says only "Connection error"; this says, at each failed attempt, what the start waits for.
 */
@ApplicationScoped
public class StartupDatabaseWait implements FlywayConfigurationCustomizer {

    private static final Logger LOG = Logger.getLogger(StartupDatabaseWait.class);

    @Override
    public void customize(FluentConfiguration configuration) {
        DataSource pool = configuration.getDataSource();
        if (pool != null && configuration.getConnectRetries() > 0) {
            configuration.dataSource(new Announcing(pool, where(pool), configuration.getConnectRetries()));
        }
    }

    static String where(DataSource pool) {
        return pool instanceof AgroalDataSource agroal
                ? address(agroal.getConfiguration().connectionPoolConfiguration().connectionFactoryConfiguration().jdbcUrl())
                : "the datasource";
    }

    /** A JDBC URL without its options: they may carry credentials (PostgreSQL after '?', H2 after ';'). */
    static String address(String url) {
        if (url == null) {
            return "the datasource";
        }
        int options = url.length();
        for (char c : new char[] {'?', ';'}) {
            int at = url.indexOf(c);
            if (at >= 0) {
                options = Math.min(options, at);
            }
        }
        return url.substring(0, options);
    }

    /** Flyway's data source at start: the pool itself, with a log line for each connection it could not hand out. */
    static final class Announcing implements DataSource {
        private final DataSource pool;
        private final String where;
        private final int retries;
        private final AtomicInteger failed = new AtomicInteger();

        Announcing(DataSource pool, String where, int retries) {
            this.pool = pool;
            this.where = where;
            this.retries = retries;
        }

        @Override
        public Connection getConnection() throws SQLException {
            try {
                return pool.getConnection();
            } catch (SQLException e) {
                announce(e);
                throw e;
            }
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            try {
                return pool.getConnection(username, password);
            } catch (SQLException e) {
                announce(e);
                throw e;
            }
        }

        private void announce(SQLException e) {
            int attempt = failed.incrementAndGet();
            if (attempt <= retries) {
                LOG.warnf("start-up is waiting for its database %s: no connection yet (%s); retry %d of at most %d "
                        + "(quarkus.flyway.connect-retries)", where, e.getMessage(), attempt, retries);
            } else {
                LOG.errorf("start-up gave up waiting for its database %s after %d retries (%s)", where, retries, e.getMessage());
            }
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return pool.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return type.isInstance(pool) ? type.cast(pool) : pool.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return type.isInstance(pool) || pool.isWrapperFor(type);
        }
    }
}
