package org.myna.registry.auth;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** bcrypt (cost 10) for client secrets. */
public final class SecretHasher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int COST = 10;
    /**
     * Compared against when the client is unknown, so that timing does not tell which clients exist: any cost-10
     * hash does, so it is a constant rather than a bcrypt round at every start.
     */
    static final String DUMMY_HASH = "$2b$10$CwyErwFTZXQW70oZFLWtc.Jk04FfFD15VJMoEvPmP8LnJ3UJgf4Ka";

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
