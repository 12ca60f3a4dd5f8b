package org.myna.platform.accesslog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;

/**
 * Writes a resident's access-log row into this service's outbox, in the caller's transaction: the read and its record
 * commit or fail together, and {@link AccessLogSender} delivers the row to the registry afterwards. Without a link
 * code there is nobody the registry could show the row to, and nothing is written.
 */
@ApplicationScoped
public class AccessLogOutbox {

    public static final String READ = "read";
    public static final String CREATE = "create";
    public static final String UPDATE = "update";

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String linkCode, String clientId, String role, String action, String purpose, String fields) {
        if (linkCode == null) {
            return;
        }
        AccessLogOutboxRow row = new AccessLogOutboxRow();
        row.linkCode = linkCode;
        row.clientId = clientId;
        row.role = role;
        row.action = action;
        row.purpose = purpose;
        row.fields = fields;
        row.at = OffsetDateTime.now();
        row.persist();
    }
}
