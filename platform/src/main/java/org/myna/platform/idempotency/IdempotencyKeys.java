package org.myna.platform.idempotency;

/** One rule for an Idempotency-Key in every service: 1 to 100 visible ASCII characters (the stricter of two limits). */
public final class IdempotencyKeys {

    public static final int MAX_LENGTH = 100;

    private IdempotencyKeys() {
    }

    public static boolean valid(String key) {
        return key != null && !key.isEmpty() && key.length() <= MAX_LENGTH && key.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
