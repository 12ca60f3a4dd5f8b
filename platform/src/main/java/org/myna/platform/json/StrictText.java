package org.myna.platform.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;

import java.io.ByteArrayInputStream;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * Refuses JSON text that is not a faithful sequence of Unicode scalar values: invalid UTF-8 (an overlong {@code C0 AF},
 * which Jackson decodes to '/'), a surrogate encoded in UTF-8, an unpaired surrogate (raw or as a {@code \\uD800}
 * escape) and a non-character (U+FFFE, U+FFFF, U+FDD0..U+FDEF and their kin in every plane). Jackson accepts all of
 * them, and a database then stores a different name than the one sent ('/' or '?').
 * <p>
 * The input is read whole (bodies are bounded by quarkus.http.limits.max-body-size) and checked in one pass. A faulty
 * input yields its text up to the fault, then the read fails: Jackson is then inside the value that holds the fault, so
 * the data binder reports which field it was (its exception wraps {@link InvalidText} with the path).
 */
public final class StrictText extends InputDecorator {

    /** Thrown where the fault starts; the message names the kind of fault, never the text. */
    public static final class InvalidText extends JsonParseException {
        InvalidText(String message) {
            super((JsonParser) null, message);
        }
    }

    @Override
    public InputStream decorate(IOContext ctxt, InputStream in) throws IOException {
        return checked(in.readAllBytes());
    }

    @Override
    public InputStream decorate(IOContext ctxt, byte[] src, int offset, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(src, offset, copy, 0, length);
        return checked(copy);
    }

    @Override
    public Reader decorate(IOContext ctxt, Reader r) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        for (int n; (n = r.read(buffer)) > 0; ) {
            text.append(buffer, 0, n);
        }
        char[] chars = text.toString().toCharArray();
        Scanner scanner = new Scanner();
        for (int i = 0; i < chars.length; ) {
            char c = chars[i];
            int cp;
            int width = 1;
            if (Character.isHighSurrogate(c) && i + 1 < chars.length && Character.isLowSurrogate(chars[i + 1])) {
                cp = Character.toCodePoint(c, chars[i + 1]);
                width = 2;
            } else if (Character.isSurrogate(c)) {
                return failing(new CharArrayReader(chars, 0, i), "an unpaired surrogate");
            } else {
                cp = c;
            }
            String fault = scanner.accept(cp, i);
            if (fault != null) {
                return failing(new CharArrayReader(chars, 0, scanner.faultAt), fault);
            }
            i += width;
        }
        String fault = scanner.end();
        return fault == null ? new CharArrayReader(chars) : failing(new CharArrayReader(chars, 0, scanner.faultAt), fault);
    }

    private static InputStream checked(byte[] bytes) {
        Scanner scanner = new Scanner();
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            int cp;
            int width;
            if (b < 0x80) {
                cp = b;
                width = 1;
            } else {
                width = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
                cp = width == 0 || i + width > bytes.length ? -1 : decode(bytes, i, width);
                if (cp < 0) {
                    return failing(bytes, i, "invalid UTF-8");
                }
            }
            String fault = scanner.accept(cp, i);
            if (fault != null) {
                return failing(bytes, scanner.faultAt, fault);
            }
            i += width;
        }
        String fault = scanner.end();
        return fault == null ? new ByteArrayInputStream(bytes) : failing(bytes, scanner.faultAt, fault);
    }

    /** The code point of a 2-4 byte sequence, or -1 where it is malformed, overlong, a surrogate or beyond U+10FFFF. */
    private static int decode(byte[] bytes, int at, int width) {
        int cp = bytes[at] & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07);
        for (int k = 1; k < width; k++) {
            int c = bytes[at + k] & 0xff;
            if ((c & 0xC0) != 0x80) {
                return -1;
            }
            cp = (cp << 6) | (c & 0x3F);
        }
        int min = width == 2 ? 0x80 : width == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return -1;
        }
        return cp;
    }

    static boolean nonCharacter(int cp) {
        return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
    }

    private static InputStream failing(byte[] bytes, int upTo, String fault) {
        return new java.io.SequenceInputStream(new ByteArrayInputStream(bytes, 0, upTo), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new InvalidText("The text has " + fault + ".");
            }
        });
    }

    private static Reader failing(Reader prefix, String fault) {
        return new Reader() {
            @Override
            public int read(char[] cbuf, int off, int len) throws IOException {
                int n = prefix.read(cbuf, off, len);
                if (n > 0) {
                    return n;
                }
                throw new InvalidText("The text has " + fault + ".");
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * The JSON lexical states that matter here: inside a string, after a backslash, inside a {@code \\u} escape, and
     * after a high-surrogate escape that a low one must follow. Anything else that is malformed is Jackson's to refuse.
     */
    static final class Scanner {
        private boolean inString;
        private boolean backslash;
        private int hexDigits = -1;
        private int hexValue;
        private int escapeStart;
        private int pendingHigh = -1;
        private int pendingStart;
        /** 0: no pending high surrogate; 1: expects '\\'; 2: expects 'u'. */
        private int expectLow;
        int faultAt;

        /** Returns the fault this code point completes, with {@link #faultAt} set to where it starts; else null. */
        String accept(int cp, int at) {
            if (!inString) {
                if (cp == '"') {
                    inString = true;
                }
                return null;
            }
            if (expectLow == 1) {
                if (cp != '\\') {
                    return fault(pendingStart, "an unpaired surrogate");
                }
                expectLow = 2;
                return null;
            }
            if (expectLow == 2) {
                if (cp != 'u') {
                    return fault(pendingStart, "an unpaired surrogate");
                }
                expectLow = 0;
                hexDigits = 0;
                hexValue = 0;
                return null;
            }
            if (hexDigits >= 0) {
                int digit = Character.digit(cp, 16);
                if (digit < 0 || cp > 'f') {
                    hexDigits = -1; // not an escape Jackson accepts either
                    pendingHigh = -1;
                    return null;
                }
                hexValue = (hexValue << 4) | digit;
                if (++hexDigits < 4) {
                    return null;
                }
                hexDigits = -1;
                return escaped(hexValue);
            }
            if (backslash) {
                backslash = false;
                if (cp == 'u') {
                    hexDigits = 0;
                    hexValue = 0;
                }
                return null;
            }
            if (cp == '\\') {
                backslash = true;
                if (pendingHigh < 0) {
                    escapeStart = at;
                }
                return null;
            }
            if (cp == '"') {
                inString = false;
                return null;
            }
            return nonCharacter(cp) ? fault(at, "a non-character") : null;
        }

        private String escaped(int unit) {
            if (pendingHigh >= 0) {
                int high = pendingHigh;
                pendingHigh = -1;
                if (!Character.isLowSurrogate((char) unit)) {
                    return fault(pendingStart, "an unpaired surrogate");
                }
                int cp = Character.toCodePoint((char) high, (char) unit);
                return nonCharacter(cp) ? fault(pendingStart, "a non-character") : null;
            }
            if (Character.isHighSurrogate((char) unit)) {
                pendingHigh = unit;
                pendingStart = escapeStart;
                expectLow = 1;
                return null;
            }
            if (Character.isLowSurrogate((char) unit)) {
                return fault(escapeStart, "an unpaired surrogate");
            }
            return nonCharacter(unit) ? fault(escapeStart, "a non-character") : null;
        }

        String end() {
            return expectLow != 0 ? fault(pendingStart, "an unpaired surrogate") : null;
        }

        private String fault(int at, String what) {
            faultAt = at;
            return what;
        }
    }
}
