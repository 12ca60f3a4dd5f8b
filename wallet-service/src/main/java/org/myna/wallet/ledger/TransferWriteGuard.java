package org.myna.wallet.ledger;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import org.hibernate.resource.jdbc.spi.StatementInspector;

import java.util.regex.Pattern;

/**
 * Transfers are append-only. {@code @Immutable} makes Hibernate ignore changes to a loaded transfer and refuse HQL
 * updates, but it still lets a bulk HQL delete or a native statement through; this inspector sees every SQL
 * statement the application sends and refuses any UPDATE, DELETE or TRUNCATE of the transfer table. (A database
 * trigger would be the stronger guard, but it is not portable between H2 and PostgreSQL.)
 */
@PersistenceUnitExtension
public class TransferWriteGuard implements StatementInspector {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "^\\s*(update|delete\\s+from|truncate(\\s+table)?)\\s+(\\w+\\.)?transfer\\b", Pattern.CASE_INSENSITIVE);

    @Override
    public String inspect(String sql) {
        if (sql != null && FORBIDDEN.matcher(sql).find()) {
            throw new IllegalStateException("Transfers are immutable: a mistake is corrected by a reversing transfer.");
        }
        return sql;
    }
}
