package org.myna.registry.resident;

import jakarta.enterprise.context.ApplicationScoped;
import org.myna.registry.config.RegistryConfig;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Keeps individual numbers at rest: AES-256-GCM ciphertext (random 96-bit IV, the IV stored in front) and
 * an HMAC-SHA256 for equality look-ups, so that the clear number is never in a table or an index.
 */
@ApplicationScoped
public class NumberVault {

    private static final int IV_BYTES = 12;

    private final SecretKeySpec aesKey;
    private final SecretKeySpec hmacKey;
    // Mac and Cipher are not thread-safe and costly to look up: one of each per thread, re-initialised per use
    // (a fresh random IV for every encryption). The IVs come from a per-thread DRBG, not one shared generator.
    private final ThreadLocal<Mac> macs;
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    });
    private final ThreadLocal<SecureRandom> ivRandom = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (GeneralSecurityException e) {
            return new SecureRandom();
        }
    });

    public NumberVault(RegistryConfig config) {
        this.aesKey = new SecretKeySpec(key(config.crypto().numberKey(), "number-key"), "AES");
        this.hmacKey = new SecretKeySpec(key(config.crypto().hmacKey(), "hmac-key"), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(hmacKey);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC unavailable", e);
            }
        });
    }

    private static byte[] key(String base64, String name) {
        byte[] key = Base64.getDecoder().decode(base64);
        if (key.length != 32) {
            throw new IllegalStateException("registry.crypto." + name + " must be 32 bytes, base64-encoded");
        }
        return key;
    }

    public String lookupHash(IndividualNumber number) {
        // doFinal resets the Mac for the next use with the same key
        return HexFormat.of().formatHex(macs.get().doFinal(number.digits().getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * The keyed hash a virtual ID is stored and found by. The "vid:" prefix separates it from the numbers' hashes
     * under the same key, so a VID's hash can never equal a number's.
     */
    public String virtualIdHash(String sixteenDigits) {
        return HexFormat.of().formatHex(macs.get().doFinal(("vid:" + sixteenDigits).getBytes(StandardCharsets.US_ASCII)));
    }

    public String encrypt(IndividualNumber number) {
        try {
            byte[] iv = new byte[IV_BYTES];
            ivRandom.get().nextBytes(iv);
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(number.digits().getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public IndividualNumber decrypt(String stored) {
        try {
            byte[] all = Base64.getDecoder().decode(stored);
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(128, all, 0, IV_BYTES));
            byte[] clear = cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES);
            return IndividualNumber.parse(new String(clear, StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored number does not decrypt with the configured key", e);
        }
    }
}
