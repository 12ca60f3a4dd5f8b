package org.myna.registry.accesslog;

import org.myna.platform.problem.Problem;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * Where a page of the access log ended: the last row's (at, id), the log's total order. Opaque to clients (base64url),
 * so the encoding may change; a cursor that does not decode is a 400 {@code invalid-cursor}, never a 500. A forged
 * cursor can only move the position: who may see which rows is decided by the query, not by the cursor.
 */
record AccessLogCursor(OffsetDateTime at, long id) {

    private static final String VERSION = "1";

    static AccessLogCursor after(AccessLogEntry last) {
        return new AccessLogCursor(last.at, last.id);
    }

    String encode() {
        Instant i = at.toInstant();
        // Nanoseconds in nine digits: the cursor is then always longer than 30 characters, never the 22 of a link code
        // that the URL-leak checks look for.
        String plain = VERSION + "." + i.getEpochSecond() + "." + String.format("%09d", i.getNano()) + "." + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    static AccessLogCursor decode(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            if (cursor.length() > 100) {
                throw new IllegalArgumentException();
            }
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split("\\.", -1);
            if (parts.length != 4 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException();
            }
            Instant at = Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            long id = Long.parseLong(parts[3]);
            return new AccessLogCursor(at.atOffset(ZoneOffset.UTC), id);
        } catch (RuntimeException e) {
            throw Problem.invalidField("cursor", "invalid-cursor", "The cursor is not one this service handed out; start again without it.");
        }
    }
}
