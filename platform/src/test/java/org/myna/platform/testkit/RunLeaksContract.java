package org.myna.platform.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §6.8 over a module's whole test run: a service's {@code LogLeakIT} (failsafe, after every @QuarkusTest)
 * extends this with its name. The run registered, raced, replayed and refused on purpose; its log, HTTP access log
 * and span export must hold no identifier or secret of any kind, recognised by shape ({@link LogLeaks},
 * {@link UrlLeaks}). The test profile writes {@code target/<service>-test.log}, {@code -access.log} and
 * {@code -spans.log}.
 */
public abstract class RunLeaksContract {

    private final String service;

    protected RunLeaksContract(String service) {
        this.service = service;
    }

    /** Shapes of values only this module's tests use (a test kit's own link codes, say), searched for too. */
    protected List<Pattern> ownShapes() {
        return List.of();
    }

    /** The run's request logs beside the log ({@code target/<service>-<kind>.log}); a module without tracing has no spans. */
    protected List<String> requestLogs() {
        return List.of("access", "spans");
    }

    /** A path every request log of the run must hold (proof that it recorded the run's requests). */
    protected String requestPath() {
        return "/api/";
    }

    /** No number, link code, token, token id, nonce, secret, name or driver detail in the run's log. */
    @Test
    void noSecretOfAnyKindAppearsInTheTestRunLog() throws IOException {
        Path log = Path.of("target", service + "-test.log");
        assertThat(log).as("the @QuarkusTest run writes its log here").exists();
        String text = Files.readString(log);
        assertThat(text).as("the run's log was captured").contains("Installed features");
        assertThat(LogLeaks.in(log)).as("secrets in the run's log").isEmpty();
        for (Pattern shape : ownShapes()) {
            assertThat(shape.matcher(text).find()).as("a value shaped " + shape + " in the run's log").isFalse();
        }
    }

    /** No identifier or secret in any request line or span of the run, attacks and errors included. */
    @Test
    void noIdentifierInAnyRequestLineOrSpanOfTheRun() throws IOException {
        for (String kind : requestLogs()) {
            Path file = Path.of("target", service + "-" + kind + ".log");
            assertThat(file).as("the test run writes " + file).exists();
            assertThat(Files.readString(file)).as(file + " holds the run's requests").contains(requestPath());
            assertThat(UrlLeaks.in(file)).as("identifiers in " + file).isEmpty();
        }
    }
}
