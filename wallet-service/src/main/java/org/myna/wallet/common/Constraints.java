package org.myna.wallet.common;

import org.hibernate.exception.ConstraintViolationException;

import java.util.Locale;

/** Tells which database constraint a failed write broke, whatever wraps the exception. */
public final class Constraints {

    private Constraints() {
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
