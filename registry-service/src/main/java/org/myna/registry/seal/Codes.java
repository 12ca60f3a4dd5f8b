package org.myna.registry.seal;

import java.security.SecureRandom;

/** Random identifiers for cards, certificates and verification codes: base32 without look-alikes, unguessable. */
final class Codes {

    // No 0/O, 1/I/L: people type these from paper.
    private static final char[] ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Codes() {
    }

    static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
