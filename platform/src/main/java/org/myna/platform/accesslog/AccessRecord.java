package org.myna.platform.accesslog;

import java.time.OffsetDateTime;

/**
 * A read (or change) of a resident's data as the registry's access log ingests it: the outbox row id (the registry
 * records each id once per delivering service), the resident's link code for the delivering service, who (client id
 * and role), what, why, which data, when. Never an individual number or a name.
 */
public record AccessRecord(long id, String linkCode, String clientId, String role, String action, String purpose,
                           String fields, OffsetDateTime at) {

    @Override
    public String toString() {
        return "AccessRecord[id=" + id + ", clientId=" + clientId + ", purpose=" + purpose + "]";
    }
}
