package org.myna.platform.logging;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

class RedactingLogFilterTest {

    static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3bC0xMjMifQ.c2lnbmF0dXJl";

    @Test
    void aTokenAndAnIndividualNumberLeaveRedacted() {
        assertThat(RedactingLogFilter.redact("refused " + JWT + " for 123456789018, retry"))
                .isEqualTo("refused [redacted] for [redacted], retry");
    }

    @Test
    void idsTimesAndShorterNumbersStay() {
        String line = "batch 5f0e9a2c-1d2b-4c3d-8e4f-123456789012 took 1234567 ms at 2026-12-07T04:53:11Z, chunk 42";
        assertThat(RedactingLogFilter.redact(line)).isEqualTo(line);
        assertThat(RedactingLogFilter.redact("card T1234567890123")).isEqualTo("card T1234567890123");
    }

    @Test
    void theFilterRewritesTheFormattedMessageAndKeepsTheRecord() {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "number %s with %s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[]{"123456789018", JWT});
        assertThat(new RedactingLogFilter().isLoggable(record)).isTrue();
        assertThat(record.getFormattedMessage()).isEqualTo("number [redacted] with [redacted]");
    }
}
