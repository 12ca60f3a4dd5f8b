package org.myna.card;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class CardTest {
    static final String PIN = "1234";
    static final String PASSWORD = "abc123";
    static final byte[] CHALLENGE = "nonce-42".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    static boolean verifies(PublicKey key, byte[] data, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(signature);
    }

    static CardException refused(String code, Executable action) {
        CardException e = assertThrows(CardException.class, action);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    @Test
    void aNewCardHasTwoDistinctP256KeyPairsAndFullCounters() {
        Card card = Card.create("CARD-1", PIN, PASSWORD);
        assertEquals("CARD-1", card.cardId());
        for (PublicKey key : List.of(card.authPublicKey(), card.signPublicKey())) {
            assertEquals("EC", key.getAlgorithm());
            assertEquals(256, ((ECPublicKey) key).getParams().getOrder().bitLength());
        }
        assertFalse(Card.sameKey(card.authPublicKey(), card.signPublicKey()));
        assertEquals(3, card.authTriesLeft());
        assertEquals(5, card.signTriesLeft());
        assertFalse(card.authLocked());
        assertFalse(card.signLocked());
        assertTrue(card.authCertificate().isEmpty());
        assertTrue(card.signCertificate().isEmpty());
    }

    @Test
    void withoutAnIdTheCardGetsARandom12CharacterUppercaseAlphanumericId() {
        String a = Card.create(null, PIN, PASSWORD).cardId();
        String b = Card.create(null, PIN, PASSWORD).cardId();
        assertTrue(a.matches("[A-Z0-9]{12}"), a);
        assertNotEquals(a, b);
    }

    @Test
    void anUnusableCardIdIsRefused() {
        refused("card-id-format", () -> Card.create("bad id,CN=x", PIN, PASSWORD));
    }

    @Test
    void authenticationSignatureVerifiesWithTheAuthKeyOnly() throws Exception {
        Card card = Card.create(null, PIN, PASSWORD);
        byte[] signature = card.signWithAuthKey(PIN, CHALLENGE);
        assertTrue(verifies(card.authPublicKey(), CHALLENGE, signature));
        assertFalse(verifies(card.signPublicKey(), CHALLENGE, signature));
        assertFalse(verifies(card.authPublicKey(), "other".getBytes(StandardCharsets.UTF_8), signature));
    }

    @Test
    void documentSignatureVerifiesWithTheSignatureKeyOnly() throws Exception {
        Card card = Card.create(null, PIN, PASSWORD);
        byte[] signature = card.signWithSignatureKey(PASSWORD, CHALLENGE);
        assertTrue(verifies(card.signPublicKey(), CHALLENGE, signature));
        assertFalse(verifies(card.authPublicKey(), CHALLENGE, signature));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "123", "12345", "abcd", "12 4", "１２３４", "12.4"})
    void aPinThatIsNotExactlyFourDigitsIsRefused(String pin) {
        refused("pin-format", () -> Card.create(null, pin, PASSWORD));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"abc12", "abcdefgh12345678X", "abc-123", "abc 123", "abcdé1", "パスワード123"})
    void aPasswordThatIsNot6To16AsciiLettersOrDigitsIsRefused(String password) {
        refused("password-format", () -> Card.create(null, PIN, password));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc123", "ABCDEFGH12345678", "a1B2c3"})
    void passwordsOf6To16LettersOrDigitsAreAccepted(String password) {
        Card.create(null, PIN, password);
    }

    @Test
    void threeWrongPinsLockTheCardAndThenEvenTheRightPinIsRefused() {
        Card card = Card.create(null, PIN, PASSWORD);
        refused("wrong-pin", () -> card.signWithAuthKey("0000", CHALLENGE));
        assertEquals(2, card.authTriesLeft());
        refused("wrong-pin", () -> card.signWithAuthKey("0001", CHALLENGE));
        assertEquals(1, card.authTriesLeft());
        refused("wrong-pin", () -> card.signWithAuthKey("0002", CHALLENGE));
        assertEquals(0, card.authTriesLeft());
        assertTrue(card.authLocked());
        refused("auth-locked", () -> card.signWithAuthKey(PIN, CHALLENGE));
        refused("auth-locked", () -> card.certificateRequests("APP", PIN, PASSWORD));
        assertEquals(0, card.authTriesLeft());
        // the signature key is independent
        assertFalse(card.signLocked());
        card.signWithSignatureKey(PASSWORD, CHALLENGE);
    }

    @Test
    void aCorrectPinResetsTheCounter() {
        Card card = Card.create(null, PIN, PASSWORD);
        refused("wrong-pin", () -> card.signWithAuthKey("9999", CHALLENGE));
        refused("wrong-pin", () -> card.signWithAuthKey("9998", CHALLENGE));
        assertEquals(1, card.authTriesLeft());
        card.signWithAuthKey(PIN, CHALLENGE);
        assertEquals(3, card.authTriesLeft());
        refused("wrong-pin", () -> card.signWithAuthKey("9997", CHALLENGE));
        refused("wrong-pin", () -> card.signWithAuthKey("9996", CHALLENGE));
        assertFalse(card.authLocked());
    }

    @Test
    void aMalformedPinDoesNotConsumeATry() {
        Card card = Card.create(null, PIN, PASSWORD);
        refused("pin-format", () -> card.signWithAuthKey("12", CHALLENGE));
        refused("password-format", () -> card.signWithSignatureKey("short", CHALLENGE));
        assertEquals(3, card.authTriesLeft());
        assertEquals(5, card.signTriesLeft());
    }

    @Test
    void fiveWrongPasswordsLockTheSignatureKeyButNotAuthentication() {
        Card card = Card.create(null, PIN, PASSWORD);
        for (int i = 4; i >= 0; i--) {
            refused("wrong-password", () -> card.signWithSignatureKey("wrong99", CHALLENGE));
            assertEquals(i, card.signTriesLeft());
        }
        assertTrue(card.signLocked());
        refused("sign-locked", () -> card.signWithSignatureKey(PASSWORD, CHALLENGE));
        refused("sign-locked", () -> card.certificateRequests("APP", PIN, PASSWORD));
        assertEquals(3, card.authTriesLeft(), "a refused CSR must not touch the auth counter");
        card.signWithAuthKey(PIN, CHALLENGE);
    }

    @Test
    void theCounterSurvivesSaveAndLoad() {
        Path file = dir.resolve("card.json");
        Card card = Card.create(null, PIN, PASSWORD);
        refused("wrong-pin", () -> card.signWithAuthKey("0000", CHALLENGE));
        card.save(file);
        Card loaded = Card.load(file);
        assertEquals(2, loaded.authTriesLeft());
        assertEquals(card.cardId(), loaded.cardId());
        assertTrue(Card.sameKey(card.authPublicKey(), loaded.authPublicKey()));
        assertTrue(Card.sameKey(card.signPublicKey(), loaded.signPublicKey()));
    }

    @Test
    void aWrongPinIsWrittenToTheFileBeforeTheErrorReturnsSoReloadingDoesNotResetIt() {
        Path file = dir.resolve("card.json");
        Card.create(null, PIN, PASSWORD).save(file);
        for (int i = 0; i < 3; i++) {
            Card fresh = Card.load(file); // e.g. a new process for each try, no explicit save
            refused("wrong-pin", () -> fresh.signWithAuthKey("0000", CHALLENGE));
        }
        Card reloaded = Card.load(file);
        assertTrue(reloaded.authLocked());
        refused("auth-locked", () -> reloaded.signWithAuthKey(PIN, CHALLENGE));
        Card.load(file).signWithSignatureKey(PASSWORD, CHALLENGE);
        for (int i = 0; i < 5; i++) {
            refused("wrong-password", () -> Card.load(file).signWithSignatureKey("nottheone", CHALLENGE));
        }
        assertTrue(Card.load(file).signLocked());
    }

    @Test
    void aCorrectPinOnALoadedCardResetsTheStoredCounter() {
        Path file = dir.resolve("card.json");
        Card.create(null, PIN, PASSWORD).save(file);
        refused("wrong-pin", () -> Card.load(file).signWithAuthKey("0000", CHALLENGE));
        assertEquals(2, Card.load(file).authTriesLeft());
        Card.load(file).signWithAuthKey(PIN, CHALLENGE);
        assertEquals(3, Card.load(file).authTriesLeft());
    }

    @Test
    void aLoadedCardSignsWithTheSameKeys() throws Exception {
        Path file = dir.resolve("card.json");
        Card card = Card.create(null, PIN, PASSWORD);
        card.save(file);
        Card loaded = Card.load(file);
        assertTrue(verifies(card.authPublicKey(), CHALLENGE, loaded.signWithAuthKey(PIN, CHALLENGE)));
        assertTrue(verifies(card.signPublicKey(), CHALLENGE, loaded.signWithSignatureKey(PASSWORD, CHALLENGE)));
    }

    @Test
    void theCsrsVerifyWithTheirOwnKeysAndCarryApplicationIdAndCardId() {
        Card card = Card.create("CARD-77", PIN, PASSWORD);
        CertificateRequests requests = card.certificateRequests("APP-2024-0001", PIN, PASSWORD);
        assertTrue(requests.authCsrPem().startsWith("-----BEGIN CERTIFICATE REQUEST-----"));
        var authCsr = TestCa.verifiedCsr(requests.authCsrPem());
        var signCsr = TestCa.verifiedCsr(requests.signCsrPem());
        try {
            assertTrue(Card.sameKey(card.authPublicKey(), authCsr.getPublicKey()));
            assertTrue(Card.sameKey(card.signPublicKey(), signCsr.getPublicKey()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        for (var csr : List.of(authCsr, signCsr)) {
            assertEquals("APP-2024-0001", csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue().toString());
            assertEquals("CARD-77",
                    csr.getSubject().getRDNs(BCStyle.SERIALNUMBER)[0].getFirst().getValue().toString());
            assertEquals("CN=APP-2024-0001,SERIALNUMBER=CARD-77", csr.getSubject().toString());
        }
    }

    @Test
    void aCsrNeedsTheRightPinAndPassword() {
        Card card = Card.create(null, PIN, PASSWORD);
        refused("wrong-pin", () -> card.certificateRequests("APP", "4321", PASSWORD));
        assertEquals(2, card.authTriesLeft());
        assertEquals(5, card.signTriesLeft());
        refused("wrong-password", () -> card.certificateRequests("APP", PIN, "wrong12"));
        assertEquals(3, card.authTriesLeft(), "the right PIN reset the auth counter");
        assertEquals(4, card.signTriesLeft());
    }

    @Test
    void issuedCertificatesAreInstalledSurviveReloadAndVerifySignatures() throws Exception {
        Path file = dir.resolve("card.json");
        Card card = Card.create(null, PIN, PASSWORD);
        card.save(file);
        TestCa ca = new TestCa();
        CertificateRequests requests = card.certificateRequests("APP", PIN, PASSWORD);
        card.installCertificates(ca.issueFor(requests.authCsrPem()), ca.issueFor(requests.signCsrPem()));

        Card loaded = Card.load(file); // installing writes the bound file
        var authCert = loaded.authCertificate().orElseThrow();
        var signCert = loaded.signCertificate().orElseThrow();
        assertTrue(authCert.getSubjectX500Principal().getName().contains("APP"));
        assertTrue(verifies(authCert.getPublicKey(), CHALLENGE, loaded.signWithAuthKey(PIN, CHALLENGE)));
        assertTrue(verifies(signCert.getPublicKey(), CHALLENGE, loaded.signWithSignatureKey(PASSWORD, CHALLENGE)));
    }

    @Test
    void aCertificateForAnotherCardsKeyIsRefusedAndNothingIsInstalled() {
        Card card = Card.create(null, PIN, PASSWORD);
        Card other = Card.create(null, PIN, PASSWORD);
        TestCa ca = new TestCa();
        String foreign = TestCa.selfSigned("CN=APP,SERIALNUMBER=" + card.cardId());
        String ownAuth = ca.issue("CN=APP", card.authPublicKey());
        String ownSign = ca.issue("CN=APP", card.signPublicKey());

        refused("certificate-key-mismatch", () -> card.installCertificates(foreign, ownSign));
        refused("certificate-key-mismatch", () -> card.installCertificates(ownAuth, foreign));
        refused("certificate-key-mismatch",
                () -> card.installCertificates(ca.issue("CN=APP", other.authPublicKey()), null));
        refused("certificate-key-mismatch", () -> card.installCertificates(ownSign, ownAuth)); // swapped slots
        assertTrue(card.authCertificate().isEmpty());
        assertTrue(card.signCertificate().isEmpty());

        card.installCertificates(ownAuth, ownSign);
        assertTrue(card.authCertificate().isPresent());
    }

    @Test
    void installingNothingOrGarbageIsRefused() {
        Card card = Card.create(null, PIN, PASSWORD);
        refused("no-certificate", () -> card.installCertificates(null, null));
        refused("certificate-format", () -> card.installCertificates("not a certificate", null));
    }

    @Test
    void theFileDoesNotContainThePrivateKeysInClear() throws Exception {
        Path file = dir.resolve("card.json");
        Card card = Card.create(null, PIN, PASSWORD);
        card.save(file);
        byte[] stored = Files.readAllBytes(file);
        String text = new String(stored, StandardCharsets.UTF_8);
        for (byte[] pkcs8 : List.of(card.privateKeyPkcs8ForTest(true, PIN),
                card.privateKeyPkcs8ForTest(false, PASSWORD))) {
            var key = (java.security.interfaces.ECPrivateKey) java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pkcs8));
            byte[] scalar = new byte[32];
            byte[] s = key.getS().toByteArray(); // big-endian, maybe with a sign byte or shorter
            int n = Math.min(32, s.length);
            System.arraycopy(s, s.length - n, scalar, 32 - n, n);
            for (byte[] secret : List.of(pkcs8, scalar)) {
                assertFalse(contains(stored, secret), "raw key bytes in file");
                assertFalse(text.contains(Base64.getEncoder().encodeToString(secret)), "base64 key in file");
                assertFalse(text.toLowerCase().contains(HexFormat.of().formatHex(secret)), "hex key in file");
            }
        }
        assertFalse(text.contains("PRIVATE KEY"));
        assertFalse(text.contains(PIN) && text.contains("\"" + PIN + "\""));
        assertFalse(text.contains(PASSWORD));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void encryptedKeysCannotBeMovedToAnotherCardFile() throws Exception {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Card.create("CARD-A", PIN, PASSWORD).save(a);
        Card.create("CARD-B", PIN, PASSWORD).save(b);
        // card B's file with card A's identity: the sealed keys are bound to card id and slot
        String forged = Files.readString(b).replace("CARD-B", "CARD-A");
        Files.writeString(b, forged);
        refused("wrong-pin", () -> Card.load(b).signWithAuthKey(PIN, CHALLENGE));
    }

    @Test
    void unreadableOrDamagedCardFilesAreRefused() throws Exception {
        refused("card-file", () -> Card.load(dir.resolve("missing.json")));
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{not json");
        refused("card-file", () -> Card.load(garbage));
        Path file = dir.resolve("card.json");
        Card.create("CARD-X", PIN, PASSWORD).save(file);
        String json = Files.readString(file);
        Path tooMany = Files.writeString(dir.resolve("too-many.json"),
                json.replaceFirst("\"triesLeft\" : 3", "\"triesLeft\" : 99"));
        refused("card-file", () -> Card.load(tooMany));
        Path weak = Files.writeString(dir.resolve("weak.json"),
                json.replace("\"iterations\" : " + KeyProtection.ITERATIONS, "\"iterations\" : 1000"));
        refused("card-file", () -> Card.load(weak));
    }

    @Test
    void savingReplacesTheFileAndLeavesNoTemporaryFiles() throws Exception {
        Path file = dir.resolve("card.json");
        Card first = Card.create("FIRST", PIN, PASSWORD);
        first.save(file);
        Card second = Card.create("SECOND", PIN, PASSWORD);
        second.save(file);
        assertEquals("SECOND", Card.load(file).cardId());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void signaturesAreFreshEachTimeButAlwaysVerify() throws Exception {
        Card card = Card.create(null, PIN, PASSWORD);
        byte[] one = card.signWithAuthKey(PIN, CHALLENGE);
        byte[] two = card.signWithAuthKey(PIN, CHALLENGE);
        assertFalse(java.util.Arrays.equals(one, two)); // ECDSA is randomised
        assertTrue(verifies(card.authPublicKey(), CHALLENGE, one));
        assertTrue(verifies(card.authPublicKey(), CHALLENGE, two));
        assertArrayEquals(CHALLENGE, "nonce-42".getBytes(StandardCharsets.UTF_8)); // input untouched
    }
}
