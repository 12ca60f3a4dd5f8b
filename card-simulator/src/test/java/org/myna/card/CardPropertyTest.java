package org.myna.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Signature;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class CardPropertyTest {
    private static final String PIN = "2468";
    private static final String PASSWORD = "Secret99";
    private static final Card CARD = Card.create(null, PIN, PASSWORD);

    @Property
    void onlyStringsOfExactlyFourAsciiDigitsAreAcceptedAsPin(@ForAll String candidate) {
        boolean valid = candidate.length() == 4 && candidate.chars().allMatch(c -> c >= '0' && c <= '9');
        if (valid) {
            Card.checkPinFormat(candidate);
        } else {
            assertEquals("pin-format",
                    assertThrows(CardException.class, () -> Card.checkPinFormat(candidate)).code());
        }
    }

    @Property
    void onlyPasswordsOf6To16AsciiLettersOrDigitsAreAccepted(@ForAll("passwordCandidates") String candidate) {
        boolean valid = candidate.length() >= 6 && candidate.length() <= 16 && candidate.chars()
                .allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
        if (valid) {
            Card.checkPasswordFormat(candidate);
        } else {
            assertEquals("password-format",
                    assertThrows(CardException.class, () -> Card.checkPasswordFormat(candidate)).code());
        }
    }

    @Provide
    Arbitrary<String> passwordCandidates() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMinLength(0).ofMaxLength(20),
                Arbitraries.strings().all().ofMinLength(0).ofMaxLength(20));
    }

    @Property(tries = 25)
    void everyChallengeSignedWithTheAuthKeyVerifies(@ForAll @Size(max = 512) byte[] challenge) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(CARD.authPublicKey());
        verifier.update(challenge);
        assertTrue(verifier.verify(CARD.signWithAuthKey(PIN, challenge)));
    }

    /**
     * A model of the chip's counter: any sequence of right and wrong PIN entries leaves exactly the tries a
     * real card would, and once locked nothing unlocks it.
     */
    @Property(tries = 12)
    void theRetryCounterFollowsTheChipsRules(@ForAll @Size(max = 6) List<Boolean> rightPin) {
        Card card = Card.create(null, PIN, PASSWORD);
        int expected = 3;
        for (boolean right : rightPin) {
            String code = null;
            try {
                card.signWithAuthKey(right ? PIN : "1357", new byte[] {1});
            } catch (CardException e) {
                code = e.code();
            }
            if (expected == 0) {
                assertEquals("auth-locked", code);
            } else if (right) {
                assertEquals(null, code);
                expected = 3;
            } else {
                assertEquals("wrong-pin", code);
                expected--;
            }
            assertEquals(expected, card.authTriesLeft());
            assertEquals(expected == 0, card.authLocked());
        }
    }
}
