package org.myna.insurance.eligibility;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.myna.insurance.config.InsuranceConfig;
import org.myna.platform.problem.Problem;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Self-contained challenges: a challenge is {@code version | expiry | random id | HMAC} (41 bytes, 55 base64url
 * characters), the HMAC binding it to the facility (client id and institution code) it was issued to. Issuing one
 * writes nothing; a forged, altered, foreign or expired challenge is refused without touching the database. What
 * the HMAC cannot say, whether the challenge was used already, the database says at check time: the check records
 * the random id under a UNIQUE constraint ({@code eligibility_check.nonce_id}).
 *
 * <p>The card signs the challenge's own bytes, so the nonce the facility receives is the challenge id itself; the
 * HMAC makes them unpredictable to anyone without the key. All nodes of the service share the key (configuration).
 */
@ApplicationScoped
public class Challenges {

    private static final byte VERSION = 1;
    private static final int ID_BYTES = 16;
    private static final int MAC_BYTES = 16; // HMAC-SHA256 truncated to 128 bits (RFC 2104 §5 allows ≥ half)
    private static final int LENGTH = 1 + Long.BYTES + ID_BYTES + MAC_BYTES;
    private static final byte[] PURPOSE = "myna-eligibility-challenge".getBytes(StandardCharsets.US_ASCII);

    /** A challenge as the card checks it: the random id that spends it, and the bytes the card signed. */
    public record Challenge(String nonceId, byte[] signedBytes) {
    }

    public record Issued(String challengeId, String nonce, OffsetDateTime expiresAt) {
    }

    private final SecretKeySpec key;
    private final Mac prototype;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public Challenges(InsuranceConfig config) {
        this(Base64.getDecoder().decode(config.eligibility().nonceKey()), config.eligibility().challengeTtl());
    }

    Challenges(byte[] key, Duration ttl) {
        if (key.length < 32) {
            throw new IllegalStateException("insurance.eligibility.nonce-key must be at least 32 bytes (base64)");
        }
        this.key = new SecretKeySpec(key, "HmacSHA256");
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(this.key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
        this.ttl = ttl;
    }

    public Issued issue(Facility facility) {
        Instant expiresAt = Instant.now().plus(ttl);
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        byte[] id = new byte[ID_BYTES];
        random.nextBytes(id);
        b.put(VERSION).putLong(expiresAt.getEpochSecond()).put(id);
        b.put(mac(b.array(), facility));
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
        return new Issued(challenge, challenge, OffsetDateTime.ofInstant(Instant.ofEpochSecond(expiresAt.getEpochSecond()), ZoneOffset.UTC));
    }

    /**
     * The challenge, if this service issued it to this facility and it has not expired. Anything else that was not
     * issued to this facility by this service (unknown, altered, another facility's) is one answer,
     * {@code challenge-unknown}: the HMAC cannot tell them apart, and a facility needs no more.
     */
    public Challenge open(String challengeId, Facility facility) {
        byte[] bytes = decode(challengeId);
        if (bytes == null || bytes.length != LENGTH || bytes[0] != VERSION
                || !MessageDigest.isEqual(mac(bytes, facility), Arrays.copyOfRange(bytes, LENGTH - MAC_BYTES, LENGTH))) {
            throw Problem.invalidField("challengeId", "challenge-unknown", "No challenge with this id was issued to this facility.");
        }
        long expiresAt = ByteBuffer.wrap(bytes, 1, Long.BYTES).getLong();
        if (Instant.now().getEpochSecond() > expiresAt) {
            throw Problem.invalidField("challengeId", "challenge-expired", "This challenge expired; ask for a new one.");
        }
        String nonceId = Base64.getUrlEncoder().withoutPadding().encodeToString(
                Arrays.copyOfRange(bytes, 1 + Long.BYTES, 1 + Long.BYTES + ID_BYTES));
        return new Challenge(nonceId, bytes);
    }

    /** HMAC over purpose, the first LENGTH - MAC_BYTES bytes, and the facility (length-prefixed, so no two facilities collide). */
    private byte[] mac(byte[] challenge, Facility facility) {
        Mac mac = newMac();
        mac.update(PURPOSE);
        mac.update(challenge, 0, LENGTH - MAC_BYTES);
        for (String part : new String[]{facility.clientId(), facility.institutionCode()}) {
            byte[] utf8 = (part == null ? "" : part).getBytes(StandardCharsets.UTF_8);
            mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(utf8.length).array());
            mac.update(utf8);
        }
        return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
    }

    /** Mac is not thread-safe; a clone of the keyed prototype skips the provider look-up and key schedule. */
    private Mac newMac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    private static byte[] decode(String challengeId) {
        if (challengeId == null || challengeId.length() > 64) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(challengeId.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
