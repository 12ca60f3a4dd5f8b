package org.myna.registry.accesslog;

import org.myna.platform.problem.Problem;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The filters of an access-log query, checked once: an organisation (client id, exact), a purpose (exact, or the part
 * before a ':' — {@code eligibility-check} matches {@code eligibility-check:card}), a period [from, to) of ISO-8601
 * times with offset, and a page size. Each malformed value is a 400 with a stable code.
 */
public record AccessLogFilter(String organisation, String purpose, OffsetDateTime from, OffsetDateTime to, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;
    private static final Pattern ORGANISATION = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern PURPOSE = Pattern.compile("[a-z0-9:-]{1,100}");

    public static AccessLogFilter parse(String organisation, String purpose, String from, String to, String limit) {
        if (organisation != null && !ORGANISATION.matcher(organisation).matches()) {
            throw Problem.invalidField("organisation", "invalid-organisation", "organisation is a client id: 1 to 64 letters, digits, '.', '_', ':' or '-'.");
        }
        if (purpose != null && !PURPOSE.matcher(purpose).matches()) {
            throw Problem.invalidField("purpose", "invalid-purpose", "purpose is 1 to 100 lower-case letters, digits, ':' or '-'.");
        }
        OffsetDateTime f = time("from", from);
        OffsetDateTime t = time("to", to);
        if (f != null && t != null && !f.isBefore(t)) {
            throw Problem.invalidField("to", "invalid-period", "from must be before to.");
        }
        return new AccessLogFilter(organisation, purpose, f, t, limit(limit));
    }

    private static OffsetDateTime time(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw Problem.invalidField(field, "invalid-period", field + " must be an ISO-8601 time with offset, e.g. 2026-04-01T00:00:00+09:00.");
        }
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the problem below
        }
        throw Problem.invalidField("limit", "invalid-limit", "limit is a whole number from 1 to " + MAX_LIMIT + ".");
    }
}
