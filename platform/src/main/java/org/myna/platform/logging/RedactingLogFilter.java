package org.myna.platform.logging;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

/**
 * The last line of DESIGN §3's rule that logs never carry a token or an individual number: whatever a message says
 * (a library's, a driver's, ours), a JWT and a free-standing run of 12 digits leave as {@code [redacted]}. Each service
 * names it on its handlers ({@code quarkus.log.console.filter=myna-redaction}, likewise the file handler). It sees the
 * formatted message, not a stack trace: code that logs an exception must not put such values in its message.
 */
@LoggingFilter(name = "myna-redaction")
public final class RedactingLogFilter implements Filter {

    static final String REDACTED = "[redacted]";
    private static final Pattern SECRETS = Pattern.compile(
            "eyJ[A-Za-z0-9_-]{4,}(?:\\.[A-Za-z0-9_-]*){1,2}" // a JWS or JWE: base64url JSON header, then dots
                    + "|(?<![\\p{Alnum}_-])\\d{12}(?![\\p{Alnum}_-])"); // an individual number, not a part of an id

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String formatted = ext.getFormattedMessage();
            if (formatted != null) {
                String redacted = redact(formatted);
                if (!redacted.equals(formatted)) {
                    ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
                }
            }
        }
        return true;
    }

    public static String redact(String text) {
        return SECRETS.matcher(text).replaceAll(REDACTED);
    }
}
