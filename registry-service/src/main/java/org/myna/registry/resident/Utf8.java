package org.myna.registry.resident;

/**
 * UTF-8 encoding of a String straight into a byte array, for the import's per-record text (COPY rows, the request
 * hash's JSON): {@code String.getBytes} on a String holding Japanese (UTF-16 inside) copies it out whole and then
 * encodes char by char in a loop that was a tenth of a warm import's samples. The bytes are those of
 * {@code getBytes(UTF_8)}, an unpaired surrogate included ('?').
 */
final class Utf8 {

    private Utf8() {
    }

    /** At most this many bytes per char of the String (a surrogate pair, two chars, is four bytes). */
    static final int MAX_BYTES_PER_CHAR = 3;

    /** Writes {@code value} at {@code pos}; the array must hold {@code MAX_BYTES_PER_CHAR * value.length()} more bytes. */
    static int encode(String value, byte[] buf, int pos) {
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                buf[pos++] = (byte) c;
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xC0 | (c >> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                buf[pos++] = (byte) (0xE0 | (c >> 12));
                buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                buf[pos++] = (byte) (0xF0 | (cp >> 18));
                buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                buf[pos++] = '?'; // what the JDK's encoder writes for an unpaired surrogate
            }
        }
        return pos;
    }
}
