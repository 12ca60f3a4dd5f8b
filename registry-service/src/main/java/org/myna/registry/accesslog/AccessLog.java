package org.myna.registry.accesslog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.myna.registry.auth.Caller;

import java.time.OffsetDateTime;

/**
 * Appends to a resident's access log in the caller's transaction, so that a read or write and its record commit
 * or fail together.
 */
@ApplicationScoped
public class AccessLog {

    public static final String READ = "read";
    public static final String CREATE = "create";
    public static final String UPDATE = "update";
    public static final String EXCHANGE = "exchange";

    private final Caller caller;

    public AccessLog(Caller caller) {
        this.caller = caller;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(long residentId, String action, String purpose, String fields) {
        record(residentId, caller.id(), caller.role(), action, purpose, fields);
    }

    /** For work with no caller (a scheduled delivery): the reader is named by the work itself. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(long residentId, String actor, String actorRole, String action, String purpose, String fields) {
        AccessLogEntry entry = new AccessLogEntry();
        entry.residentId = residentId;
        entry.actor = actor;
        entry.actorRole = actorRole;
        entry.action = action;
        entry.purpose = purpose;
        entry.fields = fields;
        entry.at = OffsetDateTime.now();
        entry.persist();
    }
}
