package org.myna.platform.persistence;

import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.JDBCConnectionException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Tells which database constraint a failed write broke, whatever wraps the exception. */
public final class Constraints {

    private Constraints() {
    }

    /**
     * Whether a failed write broke any integrity constraint (SQLSTATE class 23: unique, foreign key, check, not null).
     * Never when the database itself failed: an engine that can no longer evaluate a check reports 23514 too.
     */
    public static boolean integrity(Throwable error) {
        if (infrastructure(error)) {
            return false;
        }
        for (Throwable t : chain(error)) {
            if (t instanceof ConstraintViolationException
                    || t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    public static boolean violated(Throwable error, String constraintName) {
        if (infrastructure(error)) {
            return false;
        }
        String wanted = constraintName.toLowerCase(Locale.ROOT);
        for (Throwable t : chain(error)) {
            if (t instanceof ConstraintViolationException cve && cve.getConstraintName() != null
                    && cve.getConstraintName().toLowerCase(Locale.ROOT).contains(wanted)) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getMessage() != null
                    && sql.getMessage().toLowerCase(Locale.ROOT).contains(wanted)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the database, not the data, failed: a lost or closed connection (SQLSTATE class 08, H2's 90098 "database
     * is closed"), an operator's shutdown (57P), exhausted resources (53). H2 2.4.240 reported its closed session as a
     * check-constraint error (h2database #4302), so the whole chain is searched, batch exceptions' next ones included.
     */
    public static boolean infrastructure(Throwable error) {
        for (Throwable t : chain(error)) {
            if (t instanceof JDBCConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.equals("90098")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The chain as types, SQL states and constraint names, without any message: for a log line about a failed write
     * that must not quote the values the driver names.
     */
    public static String describe(Throwable error) {
        StringBuilder b = new StringBuilder();
        for (Throwable t : chain(error)) {
            b.append(b.isEmpty() ? "" : " < ").append(t.getClass().getName());
            if (t instanceof ConstraintViolationException cve && cve.getConstraintName() != null) {
                b.append(" constraint ").append(cve.getConstraintName());
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                b.append(" SQLState ").append(sql.getSQLState());
            }
        }
        return b.toString();
    }

    /** Every throwable reachable through causes and, for a JDBC batch, next exceptions; each once. */
    static List<Throwable> chain(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> pending = new ArrayList<>();
        List<Throwable> all = new ArrayList<>();
        if (error != null) {
            pending.add(error);
        }
        while (!pending.isEmpty() && all.size() < 64) {
            Throwable t = pending.remove(pending.size() - 1);
            if (!seen.add(t)) {
                continue;
            }
            all.add(t);
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                pending.add(sql.getNextException());
            }
        }
        return all;
    }
}
