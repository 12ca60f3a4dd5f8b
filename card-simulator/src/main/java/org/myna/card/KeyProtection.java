package org.myna.card;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a PKCS#8 private key under a PIN or password: PBKDF2WithHmacSHA256 (random 16-byte salt) derives an
 * AES-256 key, AES-GCM (random 12-byte nonce) encrypts the PKCS#8 DER. The additional authenticated data binds
 * the sealed key to its card and slot, so sealed keys cannot be swapped between slots or card files.
 */
final class KeyProtection {
    static final String KDF = "PBKDF2WithHmacSHA256";
    static final String CIPHER = "AES/GCM/NoPadding";
    static final int ITERATIONS = 120_000;
    static final int MIN_ITERATIONS = 100_000;
    private static final int SALT_BYTES = 16;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The stored form of a sealed private key (written to the card file as is). */
    record Sealed(String kdf, int iterations, String cipher, byte[] salt, byte[] iv, byte[] ciphertext) {
        void check() {
            if (!KDF.equals(kdf) || !CIPHER.equals(cipher) || iterations < MIN_ITERATIONS
                    || salt == null || salt.length < SALT_BYTES || iv == null || iv.length != IV_BYTES
                    || ciphertext == null || ciphertext.length <= TAG_BITS / 8) {
                throw new CardException("card-file", "unsupported or damaged private key protection");
            }
        }
    }

    /** The secret did not open the sealed key. */
    static final class WrongSecretException extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private KeyProtection() {
    }

    static Sealed seal(PrivateKey key, String secret, byte[] aad) {
        byte[] salt = new byte[SALT_BYTES];
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(iv);
        byte[] pkcs8 = key.getEncoded();
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, derive(secret, salt, ITERATIONS), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad);
            return new Sealed(KDF, ITERATIONS, CIPHER, salt, iv, cipher.doFinal(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot protect private key", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    static PrivateKey open(Sealed sealed, String secret, byte[] aad) throws WrongSecretException {
        byte[] pkcs8 = null;
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, derive(secret, sealed.salt(), sealed.iterations()),
                    new GCMParameterSpec(TAG_BITS, sealed.iv()));
            cipher.updateAAD(aad);
            pkcs8 = cipher.doFinal(sealed.ciphertext());
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (AEADBadTagException e) {
            throw new WrongSecretException();
        } catch (GeneralSecurityException e) {
            throw new CardException("card-file", "damaged private key: " + e.getMessage(), e);
        } finally {
            if (pkcs8 != null) {
                Arrays.fill(pkcs8, (byte) 0);
            }
        }
    }

    private static SecretKeySpec derive(String secret, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
        try {
            byte[] key = SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded();
            try {
                return new SecretKeySpec(key, "AES");
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        } finally {
            spec.clearPassword();
        }
    }

    static byte[] aad(String cardId, String slot) {
        return ("myna-card-simulator/1|" + cardId + "|" + slot).getBytes(StandardCharsets.UTF_8);
    }
}
