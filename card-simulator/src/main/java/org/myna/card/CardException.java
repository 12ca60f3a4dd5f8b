package org.myna.card;

/**
 * Every refusal of the card carries a stable machine-readable code:
 * {@code pin-format}, {@code password-format}, {@code wrong-pin}, {@code wrong-password},
 * {@code auth-locked}, {@code sign-locked}, {@code certificate-key-mismatch}, {@code no-certificate},
 * {@code card-file}, and in addition {@code card-id-format} (an unusable card id) and
 * {@code certificate-format} (a certificate PEM that cannot be parsed).
 */
public class CardException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public CardException(String code, String message) {
        super(message);
        this.code = code;
    }

    CardException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
