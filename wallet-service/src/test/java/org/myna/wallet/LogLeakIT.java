package org.myna.wallet;

import org.junit.jupiter.api.Test;
import org.myna.platform.testkit.LogLeaks;
import org.myna.platform.testkit.UrlLeaks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after every @QuarkusTest of this module (failsafe) and reads the whole log of that run. The tests raced grants,
 * charges and bindings, replayed and reused keys, spent operation tokens twice and sent malformed bodies; none of the
 * pseudonyms and secrets they used may have reached the log.
 */
class LogLeakIT {

    /** The test kit's link codes: "wl-" and 32 hex digits. */
    private static final Pattern LINK_CODE = Pattern.compile("wl-[0-9a-f]{32}");

    @Test
    void noTokenLinkCodeOrDriverDetailAppearsInTheTestRunLog() throws IOException {
        Path log = Path.of("target/wallet-test.log");
        assertThat(log).as("the @QuarkusTest run writes its log here").exists();
        String text = Files.readString(log);
        assertThat(text).as("the run's log was captured").contains("Installed features");
        assertThat(text).as("bearer tokens").doesNotContain("eyJ");
        assertThat(LINK_CODE.matcher(text).find()).as("a resident's link code in the log").isFalse();
        assertThat(text).as("the driver's detail naming clashing values")
                .doesNotContain("VALUES ( /*").doesNotContainPattern("Key \\([^)]*\\)=\\(");
    }

    /**
     * DESIGN §6.8: no identifier or secret in a URL. The run's access log and span export (test profile) saw every
     * request the tests made, attacks and errors included; none may carry a number, link code or code of any kind.
     */
    @Test
    void noIdentifierInAnyRequestLineOrSpanOfTheRun() throws IOException {
        for (String file : List.of("target/wallet-access.log", "target/wallet-spans.log")) {
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
        assertThat(LogLeaks.in(Path.of("target/wallet-test.log"))).as("secrets in the run's log").isEmpty();
    }
}
