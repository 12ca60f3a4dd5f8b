package org.myna.card.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myna.card.cli.CardCliTest.card;
import static org.myna.card.cli.CardCliTest.verifies;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.myna.card.Card;
import org.myna.card.cli.CardCliTest.Run;

/**
 * Issue 16: option values are data and are taken literally whatever their first character. One base64url
 * challenge in 64 begins with '-', and {@code -h4vm...} was read as the clustered help option.
 */
class CardCliLiteralValuesTest {
    private static final String PIN = "1234";
    private static final String PASSWORD = "abc123";
    private static final String ISSUE_16_CHALLENGE = "-h4vmcGoPstSYK7KWniLQAcpl9AJ_nnCSAuGJ_TcdZU";
    private static final Path CARD_FILE = newCardFile();
    private static final PublicKey AUTH_KEY = Card.load(CARD_FILE).authPublicKey();

    private static Path newCardFile() {
        try {
            Path file = Files.createTempFile("literal-values", ".card");
            file.toFile().deleteOnExit();
            Card.create(null, PIN, PASSWORD).save(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Signs with the challenge given as {@code challengeArgs}; asserts success and returns the signature. */
    private static String sign(String... challengeArgs) {
        String[] args = Stream.concat(Stream.of("sign", "--card", CARD_FILE.toString(), "--pin", PIN),
                Stream.of(challengeArgs)).toArray(String[]::new);
        Run run = card(args);
        assertThat(run.exit()).as(run.err()).isZero();
        return run.out().trim();
    }

    /** Runs the CLI with {@code input} on stdin, where a PIN asked for is read from (no console in tests). */
    private static Run withStdin(String input, String... args) {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return card(args);
        } finally {
            System.setIn(stdin);
        }
    }

    private static void assertSignedInBothForms(String challenge) throws Exception {
        byte[] bytes = Base64.getUrlDecoder().decode(challenge);
        assertThat(verifies(AUTH_KEY, bytes, sign("--challenge", challenge))).isTrue();
        assertThat(verifies(AUTH_KEY, bytes, sign("--challenge=" + challenge))).isTrue();
    }

    @Property(tries = 100) // each try unlocks the key twice (PBKDF2), so keep it modest
    void every32ByteChallengeIsSignedAsGivenInBothForms(@ForAll("challenges") String challenge) throws Exception {
        assertSignedInBothForms(challenge);
    }

    /** Random 32-byte challenges, base64url without padding; half of them begin like an option. */
    @Provide
    Arbitrary<String> challenges() {
        Arbitrary<String> any = Arbitraries.bytes().array(byte[].class).ofSize(32)
                .map(b -> Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        // overwriting leading characters keeps a valid 43-character encoding of 32 bytes
        Arbitrary<String> optionLike = Combinators.combine(Arbitraries.of("-", "--", "-h", "-V"), any)
                .as((prefix, c) -> prefix + c.substring(prefix.length()));
        return Arbitraries.oneOf(any, optionLike).edgeCases(edges -> edges.add(ISSUE_16_CHALLENGE));
    }

    @Example
    void theChallengeOfIssue16WhichLooksLikeClusteredHelpIsSigned() throws Exception {
        assertSignedInBothForms(ISSUE_16_CHALLENGE);
    }

    @Example
    void aDataOptionTakesEvenAnOptionNameAsItsValue() throws Exception {
        for (String value : new String[] {"--card", "-h", "-V", "--help"}) {
            assertSignedInBothForms(value);
        }
    }

    @Example
    void pinsAndPasswordsThatBeginWithADashAreTakenAsValues() {
        String file = CARD_FILE.resolveSibling(CARD_FILE.getFileName() + ".new").toString();
        // the card checks (and refuses) each value, instead of the parser reading it as an option (or asking)
        assertThat(withStdin("", "create", "--card", file, "--pin", "-h12", "--password", PASSWORD).err())
                .startsWith("error: pin-format: ");
        assertThat(withStdin("", "create", "--card", file, "--pin=-h12", "--password", PASSWORD).err())
                .startsWith("error: pin-format: ");
        assertThat(withStdin("", "create", "--card", file, "--pin=--card", "--password", PASSWORD).err())
                .startsWith("error: pin-format: ");
        assertThat(withStdin("", "create", "--card", file, "--pin", PIN, "--password", "-Vabc123").err())
                .startsWith("error: password-format: ");
        assertThat(withStdin("", "create", "--card", file, "--pin", PIN, "--password=--force").err())
                .startsWith("error: password-format: ");
        assertThat(Path.of(file)).doesNotExist();
    }

    @Example
    void aPinOrPasswordWithoutValueBeforeAnotherOptionOrLastIsStillAskedFor() throws Exception {
        Run signed = withStdin(PIN + "\n", "sign", "--card", CARD_FILE.toString(), "--pin", "--challenge", "AAAA");
        assertThat(signed.exit()).as(signed.err()).isZero();
        assertThat(verifies(AUTH_KEY, new byte[3], signed.out().trim())).isTrue();

        Path file = CARD_FILE.resolveSibling(CARD_FILE.getFileName() + ".asked");
        file.toFile().deleteOnExit();
        Run created = withStdin(PIN + "\n" + PASSWORD + "\n",
                "create", "--card", file.toString(), "--pin", "--password");
        assertThat(created.exit()).as(created.err()).isZero();
        Card card = Card.load(file); // each secret got its own line of stdin
        assertThat(card.signWithAuthKey(PIN, new byte[1])).isNotEmpty();
        assertThat(card.signWithSignatureKey(PASSWORD, new byte[1])).isNotEmpty();
    }

    @Example
    void helpSaysHowValuesAreTakenAndAStrayDashHArgumentIsAnErrorNotHelp() {
        for (String[] help : new String[][] {{"--help"}, {"-h"}, {"sign", "--help"}, {"sign", "-h"}}) {
            Run run = card(help);
            assertThat(run.exit()).isZero();
            assertThat(run.out()).contains("--challenge=VALUE");
        }
        Run stray = card("sign", "--card", CARD_FILE.toString(), "--pin", PIN, "--challenge", "AA", "-h4vm");
        assertThat(stray.exit()).isEqualTo(CardCli.ERROR);
        assertThat(stray.out()).isEmpty();
    }
}
