package org.myna.platform.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Ids from a database sequence the way Hibernate's default optimizer in Quarkus (pooled-lo) takes them: one
 * {@code nextval} yields the block [value, value + increment), so a JDBC writer and Hibernate share the sequence without
 * ever handing out the same id. The sequence's increment must equal {@code increment} (the entity's allocationSize).
 * Not thread-safe: one per writer thread. Sequences are not transactional, so a block stays valid after a rollback.
 */
public final class PooledIds {

    private final String nextval;
    private final int increment;
    private long next;
    private long end;

    public PooledIds(String qualifiedSequence, int increment) {
        this.nextval = "select nextval('" + qualifiedSequence + "')";
        this.increment = increment;
    }

    public long next(Connection c) throws SQLException {
        if (next >= end) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(nextval)) {
                rs.next();
                next = rs.getLong(1);
                end = next + increment;
            }
        }
        return next++;
    }
}
