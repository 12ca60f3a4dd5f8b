package org.myna.platform.idempotency;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

/**
 * The idempotency record at the JDBC level, for a writer that commits many requests in one transaction: a key is
 * reserved by {@code INSERT ... ON CONFLICT DO NOTHING} (PostgreSQL, and H2 in its PostgreSQL mode), so a key that is
 * already taken refuses that one request only (row count 0) instead of aborting the transaction, and the driver's
 * message naming the clashing key is never produced. Ids come from the record's sequence like Hibernate's
 * (see {@link org.myna.platform.persistence.PooledIds}).
 */
public final class IdempotencyRows {

    private final String insert;
    private final String complete;

    /** @param schema the schema holding {@code idempotency_record} */
    public IdempotencyRows(String schema) {
        this.insert = "insert into " + schema + ".idempotency_record (id, scope, idem_key, endpoint, request_hash, status, response_body, created_at) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
        this.complete = "update " + schema + ".idempotency_record set status = ?, response_body = ? where id = ? and status is null";
    }

    /** The reservation's SQL, for a writer that keeps its prepared statements ({@link #reserve} binds and runs it per request). */
    public String insert() {
        return insert;
    }

    /** The completion's SQL, for a writer that keeps its prepared statements ({@link #addCompletion} adds to its batch). */
    public String completion() {
        return complete;
    }

    /**
     * Reserves (scope, key) with record id {@code id}, completed at once when {@code status} is not null. False when the
     * key was taken (by a committed request, or by one whose transaction this insert waited for).
     */
    public static boolean reserve(PreparedStatement insert, long id, String scope, String key, String endpoint, String hash,
                                  Integer status, String body, Instant now) throws SQLException {
        insert.setLong(1, id);
        insert.setString(2, scope);
        insert.setString(3, key);
        insert.setString(4, endpoint);
        insert.setString(5, hash);
        if (status == null) {
            insert.setNull(6, Types.INTEGER);
            insert.setNull(7, Types.VARCHAR);
        } else {
            insert.setInt(6, status);
            insert.setString(7, body);
        }
        insert.setTimestamp(8, Timestamp.from(now));
        return insert.executeUpdate() == 1;
    }

    public static void addCompletion(PreparedStatement complete, long id, int status, String body) throws SQLException {
        complete.setInt(1, status);
        complete.setString(2, body);
        complete.setLong(3, id);
        complete.addBatch();
    }
}
