package org.myna.card;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A software stand-in for the My Number IC card: two EC P-256 key pairs generated "on chip" (user
 * authentication, protected by a 4-digit PIN locked after 3 consecutive wrong tries; signature, protected by a
 * 6–16 character alphanumeric password locked after 5), their certificates, and PKCS#10 requests with proof of
 * possession. Private keys never leave this object: there is no public method that returns one, and they are
 * kept only sealed (PKCS#8, AES-256-GCM under a PBKDF2WithHmacSHA256 key from the PIN/password) and decrypted
 * just for the one operation that needs them.
 *
 * <p>Retry counters work like the chip's: a try is consumed (and, for a card bound to a file, written to the
 * file) <em>before</em> the PIN is checked, and given back only when it was right; a correct PIN restores the
 * full count. A locked key refuses every use, even with the right PIN.
 *
 * <p><b>Honest limit.</b> This is a simulation. The real chip enforces the retry counter in tamper-resistant
 * hardware and never lets the key out. Here the card is a file: whoever copies it can reset the counters by
 * editing or restoring the file and can brute-force a 4-digit PIN offline in seconds (10,000 candidates, and
 * AES-GCM tells a right guess from a wrong one), however many PBKDF2 iterations are used. The signature password
 * has a larger space but is also only as strong as its length. Never use a card file to protect real keys.
 *
 * <p>Instances are thread-safe (all operations synchronised); two {@code Card} objects loaded from the same file
 * do not coordinate with each other.
 */
public final class Card {
    static final int AUTH_MAX_TRIES = 3;
    static final int SIGN_MAX_TRIES = 5;
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final Pattern PIN = Pattern.compile("[0-9]{4}");
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9]{6,16}");
    private static final Pattern CARD_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One key slot of the chip. */
    private static final class Slot {
        final String name;
        final int maxTries;
        final PublicKey publicKey;
        final KeyProtection.Sealed sealedKey;
        int triesLeft;
        X509Certificate certificate;

        Slot(String name, int maxTries, PublicKey publicKey, KeyProtection.Sealed sealedKey, int triesLeft,
             X509Certificate certificate) {
            this.name = name;
            this.maxTries = maxTries;
            this.publicKey = publicKey;
            this.sealedKey = sealedKey;
            this.triesLeft = triesLeft;
            this.certificate = certificate;
        }

        boolean isAuth() {
            return "auth".equals(name);
        }
    }

    private final String cardId;
    private final Slot auth;
    private final Slot sign;
    /** The file this card is bound to (by {@link #load} or {@link #save}); every state change is written to it. */
    private Path file;

    private Card(String cardId, Slot auth, Slot sign) {
        this.cardId = cardId;
        this.auth = auth;
        this.sign = sign;
    }

    // ---------------------------------------------------------------- creation and files

    /**
     * Issues a new card with fresh key pairs. {@code cardId} null means a random 12-character uppercase
     * alphanumeric id. The card is not written anywhere until {@link #save}.
     */
    public static Card create(String cardId, String authPin, String signPassword) {
        checkPinFormat(authPin);
        checkPasswordFormat(signPassword);
        String id = cardId == null ? randomCardId() : cardId;
        if (!CARD_ID.matcher(id).matches()) {
            throw new CardException("card-id-format", "card id must be 1-64 letters, digits or '-'");
        }
        KeyPair authKeys = generateKeyPair();
        KeyPair signKeys = generateKeyPair();
        Slot auth = new Slot("auth", AUTH_MAX_TRIES, authKeys.getPublic(),
                KeyProtection.seal(authKeys.getPrivate(), authPin, KeyProtection.aad(id, "auth")), AUTH_MAX_TRIES,
                null);
        Slot sign = new Slot("sign", SIGN_MAX_TRIES, signKeys.getPublic(),
                KeyProtection.seal(signKeys.getPrivate(), signPassword, KeyProtection.aad(id, "sign")),
                SIGN_MAX_TRIES, null);
        return new Card(id, auth, sign);
    }

    /** Reads a card file; the returned card writes every later change (counters, certificates) back to it. */
    public static Card load(Path file) {
        CardFile data;
        try {
            data = CardFile.JSON.readValue(file.toFile(), CardFile.class);
        } catch (IOException e) {
            throw new CardException("card-file", "cannot read card file " + file + ": " + firstLine(e.getMessage()),
                    e);
        }
        if (data == null || !CardFile.FORMAT.equals(data.format()) || data.cardId() == null
                || !CARD_ID.matcher(data.cardId()).matches() || data.auth() == null || data.sign() == null) {
            throw new CardException("card-file", "not a " + CardFile.FORMAT + " card file: " + file);
        }
        Card card = new Card(data.cardId(), readSlot("auth", AUTH_MAX_TRIES, data.auth()),
                readSlot("sign", SIGN_MAX_TRIES, data.sign()));
        card.file = file;
        return card;
    }

    private static Slot readSlot(String name, int maxTries, CardFile.SlotFile slot) {
        if (slot.triesLeft() < 0 || slot.triesLeft() > maxTries || slot.privateKey() == null) {
            throw new CardException("card-file", "damaged " + name + " slot in card file");
        }
        slot.privateKey().check();
        PublicKey publicKey = Pem.readPublicKey(slot.publicKey());
        if (!isP256(publicKey)) {
            throw new CardException("card-file", name + " key is not an EC P-256 key");
        }
        X509Certificate certificate = null;
        if (slot.certificate() != null) {
            certificate = Pem.readCertificate(slot.certificate(), "card-file");
            if (!sameKey(certificate.getPublicKey(), publicKey)) {
                throw new CardException("card-file", name + " certificate does not match the " + name + " key");
            }
        }
        return new Slot(name, maxTries, publicKey, slot.privateKey(), slot.triesLeft(), certificate);
    }

    /**
     * Writes the card to {@code file} (temporary file, then atomic replace; owner-only permissions where the file
     * system supports them) and binds the card to that file for later changes.
     */
    public synchronized void save(Path file) {
        Objects.requireNonNull(file, "file");
        write(file);
        this.file = file;
    }

    private void persist() {
        if (file != null) {
            write(file);
        }
    }

    private void write(Path target) {
        CardFile data = new CardFile(CardFile.FORMAT, cardId, slotFile(auth), slotFile(sign));
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.write(tmp, CardFile.JSON.writeValueAsBytes(data));
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new CardException("card-file", "cannot write card file " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private static CardFile.SlotFile slotFile(Slot slot) {
        return new CardFile.SlotFile(slot.triesLeft, Pem.write(slot.publicKey), slot.sealedKey,
                slot.certificate == null ? null : Pem.write(slot.certificate));
    }

    // ---------------------------------------------------------------- state

    public String cardId() {
        return cardId;
    }

    public synchronized int authTriesLeft() {
        return auth.triesLeft;
    }

    public synchronized int signTriesLeft() {
        return sign.triesLeft;
    }

    public synchronized boolean authLocked() {
        return auth.triesLeft == 0;
    }

    public synchronized boolean signLocked() {
        return sign.triesLeft == 0;
    }

    public PublicKey authPublicKey() {
        return auth.publicKey;
    }

    public PublicKey signPublicKey() {
        return sign.publicKey;
    }

    public synchronized Optional<X509Certificate> authCertificate() {
        return Optional.ofNullable(auth.certificate);
    }

    public synchronized Optional<X509Certificate> signCertificate() {
        return Optional.ofNullable(sign.certificate);
    }

    // ---------------------------------------------------------------- operations needing a key

    /**
     * PKCS#10 requests for both keys, subject {@code CN=<applicationId>, SERIALNUMBER=<cardId>}, each signed by
     * the key it certifies (proof of possession). Needs the PIN and the password; refused if either key is locked.
     */
    public synchronized CertificateRequests certificateRequests(String applicationId, String authPin,
                                                                String signPassword) {
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("applicationId is required");
        }
        checkNotLocked(auth);
        checkNotLocked(sign);
        checkPinFormat(authPin);
        checkPasswordFormat(signPassword);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, applicationId)
                .addRDN(BCStyle.SERIALNUMBER, cardId)
                .build();
        PrivateKey authKey = unlock(auth, authPin);
        String authCsr = csr(subject, auth.publicKey, authKey);
        PrivateKey signKey = unlock(sign, signPassword);
        String signCsr = csr(subject, sign.publicKey, signKey);
        return new CertificateRequests(authCsr, signCsr);
    }

    /** Signs a challenge (e.g. a nonce) with the user-authentication key: SHA256withECDSA, DER-encoded. */
    public synchronized byte[] signWithAuthKey(String authPin, byte[] challenge) {
        Objects.requireNonNull(challenge, "challenge");
        checkNotLocked(auth);
        checkPinFormat(authPin);
        return sign(auth, unlock(auth, authPin), challenge);
    }

    /** Signs data with the signature key: SHA256withECDSA, DER-encoded. */
    public synchronized byte[] signWithSignatureKey(String signPassword, byte[] data) {
        Objects.requireNonNull(data, "data");
        checkNotLocked(sign);
        checkPasswordFormat(signPassword);
        return sign(sign, unlock(sign, signPassword), data);
    }

    /**
     * Stores the certificates issued for this card. Either may be null to keep that slot as it is; nothing is
     * stored unless every given certificate carries exactly this card's public key for its slot.
     */
    public synchronized void installCertificates(String authCertPem, String signCertPem) {
        if (authCertPem == null && signCertPem == null) {
            throw new CardException("no-certificate", "no certificate given");
        }
        X509Certificate authCert = authCertPem == null ? null : matching(auth, authCertPem);
        X509Certificate signCert = signCertPem == null ? null : matching(sign, signCertPem);
        X509Certificate oldAuth = auth.certificate;
        X509Certificate oldSign = sign.certificate;
        if (authCert != null) {
            auth.certificate = authCert;
        }
        if (signCert != null) {
            sign.certificate = signCert;
        }
        try {
            persist();
        } catch (CardException e) {
            auth.certificate = oldAuth;
            sign.certificate = oldSign;
            throw e;
        }
    }

    private static X509Certificate matching(Slot slot, String pem) {
        X509Certificate certificate = Pem.readCertificate(pem, "certificate-format");
        if (!sameKey(certificate.getPublicKey(), slot.publicKey)) {
            throw new CardException("certificate-key-mismatch", "the " + (slot.isAuth() ? "authentication"
                    : "signature") + " certificate is not for this card's " + slot.name + " key");
        }
        return certificate;
    }

    // ---------------------------------------------------------------- internals

    private static void checkNotLocked(Slot slot) {
        if (slot.triesLeft <= 0) {
            throw slot.isAuth()
                    ? new CardException("auth-locked", "the authentication PIN is locked")
                    : new CardException("sign-locked", "the signature password is locked");
        }
    }

    /** Consumes a try (persisted), checks the secret, and gives the try back only when it was right. */
    private PrivateKey unlock(Slot slot, String secret) {
        checkNotLocked(slot);
        int before = slot.triesLeft;
        slot.triesLeft = before - 1;
        try {
            persist();
        } catch (CardException e) {
            slot.triesLeft = before;
            throw e;
        }
        PrivateKey key;
        try {
            key = KeyProtection.open(slot.sealedKey, secret, KeyProtection.aad(cardId, slot.name));
        } catch (KeyProtection.WrongSecretException e) {
            String left = slot.triesLeft == 0 ? "now locked"
                    : slot.triesLeft + (slot.triesLeft == 1 ? " try left" : " tries left");
            throw slot.isAuth()
                    ? new CardException("wrong-pin", "wrong PIN, " + left)
                    : new CardException("wrong-password", "wrong signature password, " + left);
        }
        slot.triesLeft = slot.maxTries;
        persist();
        return key;
    }

    private static byte[] sign(Slot slot, PrivateKey key, byte[] data) {
        try {
            Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
            signer.initSign(key);
            signer.update(data);
            byte[] signature = signer.sign();
            // self-check, so a damaged file cannot make the card hand out signatures for another key
            Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
            verifier.initVerify(slot.publicKey);
            verifier.update(data);
            if (!verifier.verify(signature)) {
                throw new CardException("card-file", "the " + slot.name + " private key does not match its public key");
            }
            return signature;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signature failed", e);
        }
    }

    private static String csr(X500Name subject, PublicKey publicKey, PrivateKey privateKey) {
        try {
            return Pem.write(new JcaPKCS10CertificationRequestBuilder(subject, publicKey)
                    .build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(privateKey)));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot build certificate request", e);
        }
    }

    private static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    static boolean sameKey(PublicKey a, PublicKey b) {
        if (a instanceof ECPublicKey x && b instanceof ECPublicKey y) {
            return x.getW().equals(y.getW())
                    && x.getParams().getCurve().equals(y.getParams().getCurve())
                    && x.getParams().getGenerator().equals(y.getParams().getGenerator())
                    && x.getParams().getOrder().equals(y.getParams().getOrder());
        }
        return false;
    }

    private static boolean isP256(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)) {
            return false;
        }
        try {
            AlgorithmParameters p256 = AlgorithmParameters.getInstance("EC");
            p256.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec spec = p256.getParameterSpec(ECParameterSpec.class);
            return spec.getCurve().equals(ec.getParams().getCurve())
                    && spec.getGenerator().equals(ec.getParams().getGenerator())
                    && spec.getOrder().equals(ec.getParams().getOrder());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    static void checkPinFormat(String pin) {
        if (pin == null || !PIN.matcher(pin).matches()) {
            throw new CardException("pin-format", "the authentication PIN must be exactly 4 digits");
        }
    }

    static void checkPasswordFormat(String password) {
        if (password == null || !PASSWORD.matcher(password).matches()) {
            throw new CardException("password-format",
                    "the signature password must be 6 to 16 ASCII letters or digits");
        }
    }

    private static String randomCardId() {
        StringBuilder id = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Test hook: the PKCS#8 encoding of a private key, to prove it is not in the file. Not part of the API. */
    synchronized byte[] privateKeyPkcs8ForTest(boolean authSlot, String secret) {
        Slot slot = authSlot ? auth : sign;
        try {
            return KeyProtection.open(slot.sealedKey, secret, KeyProtection.aad(cardId, slot.name)).getEncoded();
        } catch (KeyProtection.WrongSecretException e) {
            throw new IllegalArgumentException("wrong secret", e);
        }
    }
}
