package org.myna.registry.auth;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** bcrypt (cost 10) for client secrets. */
public final class SecretHasher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int COST = 10;
    /** Compared against when the client is unknown, so that timing does not tell which clients exist. */
    static final String DUMMY_HASH = hash("dummy-secret-for-unknown-clients");

    private SecretHasher() {
    }

    public static String hash(String secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", secret.getBytes(StandardCharsets.UTF_8), salt, COST);
    }

    public static boolean matches(String secret, String hash) {
        try {
            return OpenBSDBCrypt.checkPassword(hash, secret.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
