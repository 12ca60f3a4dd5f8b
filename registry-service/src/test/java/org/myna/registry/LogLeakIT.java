package org.myna.registry;

import org.junit.jupiter.api.Test;
import org.myna.platform.testkit.LogLeaks;
import org.myna.platform.testkit.UrlLeaks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after every @QuarkusTest of this module (failsafe, integration-test phase) and searches the whole log of
 * that run for anything that is a well-formed individual number. The tests registered hundreds of residents,
 * read, changed and imported them, and provoked every error path; not one number may have reached the log.
 */
class LogLeakIT {

    private static final Pattern TWELVE_DIGITS = Pattern.compile("(?<!\\d)\\d{12}(?!\\d)");

    @Test
    void noIndividualNumberAppearsInTheTestRunLog() throws IOException {
        Path log = Path.of("target/registry-test.log");
        assertThat(log).as("the @QuarkusTest run writes its log here").exists();
        String text = Files.readString(log);
        assertThat(text).as("the run's log was captured").contains("Installed features");
        List<String> leaks = new ArrayList<>();
        Matcher m = TWELVE_DIGITS.matcher(text);
        while (m.find()) {
            if (wellFormed(m.group())) {
                leaks.add(m.group().substring(0, 4) + "…");
            }
        }
        assertThat(leaks).as("well-formed individual numbers in the log").isEmpty();
    }

    /**
     * The run provoked unique-key clashes (a spent operation token, a retried key, concurrent enrolments); the driver's
     * message names the clashing values (H2 after "VALUES (", PostgreSQL in "Key (column)=(value)"). None may
     * reach the log: a token id, a link code or an idempotency key is as private as the number.
     */
    @Test
    void noDriverMessageWithTheClashingValuesAppearsInTheTestRunLog() throws IOException {
        String text = Files.readString(Path.of("target/registry-test.log"));
        assertThat(text).doesNotContain("VALUES ( /*").doesNotContainPattern("Key \\([^)]*\\)=\\(");
    }

    /** The ordinance's check digit, written independently of the production code. */
    static boolean wellFormed(String twelve) {
        int[] weights = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum += (twelve.charAt(i) - '0') * weights[i];
        }
        int check = 11 - sum % 11;
        return (check >= 10 ? 0 : check) == twelve.charAt(11) - '0';
    }

    /**
     * DESIGN §6.8: no identifier or secret in a URL. The run's access log and span export (test profile) saw every
     * request the tests made, attacks and errors included; none may carry a number, link code or code of any kind.
     */
    @Test
    void noIdentifierInAnyRequestLineOrSpanOfTheRun() throws IOException {
        for (String file : List.of("target/registry-access.log", "target/registry-spans.log")) {
            Path path = Path.of(file);
            assertThat(path).as("the test run writes " + file).exists();
            assertThat(Files.readString(path)).as(file + " holds the run's requests").contains("/api/");
            assertThat(UrlLeaks.in(path)).as("identifiers in " + file).isEmpty();
        }
    }

    /**
     * DESIGN §6.8 for every kind of secret, recognised by shape: no link code, token, token id, nonce, secret,
     * idempotency key or personal name in the run's log, after its races, malformed bodies and refusals.
     */
    @Test
    void noSecretOfAnyKindAppearsInTheTestRunLog() throws IOException {
        assertThat(LogLeaks.in(Path.of("target/registry-test.log"))).as("secrets in the run's log").isEmpty();
    }
}
