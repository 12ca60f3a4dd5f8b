package org.myna.registry.common;

import org.hibernate.exception.ConstraintViolationException;

import java.util.Locale;

/** Tells which database constraint a failed write broke, whatever wraps the exception. */
public final class Constraints {

    private Constraints() {
    }

    /** Whether a failed write broke any integrity constraint (SQLSTATE class 23: unique, foreign key, check, not null). */
    public static boolean integrity(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    public static boolean violated(Throwable error, String constraintName) {
        String wanted = constraintName.toLowerCase(Locale.ROOT);
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException cve) {
                String name = cve.getConstraintName();
                if (name != null && name.toLowerCase(Locale.ROOT).contains(wanted)) {
                    return true;
                }
            }
            if (t instanceof java.sql.SQLException sql && sql.getMessage() != null
                    && sql.getMessage().toLowerCase(Locale.ROOT).contains(wanted)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
