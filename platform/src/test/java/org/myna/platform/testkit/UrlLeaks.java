package org.myna.platform.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DESIGN §6.8: no personal identifier or secret in a URL. Finds, in an HTTP access log or a span export, anything
 * shaped like one: a well-formed individual number or virtual ID, a link code (128 random bits, base64url), a seal certificate's
 * verification code, a payment binding code, or a query parameter named after one. A finding is reported by kind and
 * line number, never by value.
 */
public final class UrlLeaks {

    private static final Pattern TWELVE_DIGITS = Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");
    /** 16 digits standing alone: the shape of a virtual ID, reported when its Verhoeff check digit holds. */
    private static final Pattern SIXTEEN_DIGITS = Pattern.compile("(?<![0-9])[0-9]{16}(?![0-9])");
    /** 22 base64url characters standing alone, with both cases: the shape of a link code. */
    private static final Pattern LINK_CODE = Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])");
    /** 12 characters of the seal code alphabet (no I, L, O, 0, 1) with a digit. */
    private static final Pattern SEAL_CODE = Pattern.compile("(?<![A-Za-z0-9])[A-HJ-KM-NP-Z2-9]{12}(?![A-Za-z0-9])");
    /** 10 Crockford base32 characters with a digit and a letter: a payment binding code. */
    private static final Pattern BINDING_CODE = Pattern.compile("(?<![A-Za-z0-9])[0-9A-HJKMNP-TV-Z]{10}(?![A-Za-z0-9])");
    /**
     * Random handles of objects — a card, a card application, a seal — stay in paths as REST resources: they name
     * the object, are unguessable, and say nothing without the registry's tables. A card's handle shares the code
     * alphabet, so it is set aside before the search.
     */
    private static final Pattern OBJECT_HANDLE = Pattern.compile("/api/(cards|card-applications|seals)/[A-Za-z0-9_-]+");
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Z]+[0-9]+");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "[?&](?:number|individualNumber|virtualId|vid|code|linkCode|verificationCode|bindingCode|residentId|subject)=", Pattern.CASE_INSENSITIVE);

    private UrlLeaks() {
    }

    /** Every finding in the file, as "kind at line n". */
    public static List<String> in(Path file) throws IOException {
        return perLine(file, UrlLeaks::in);
    }

    /** Runs a one-line search over each line of the file; findings name the kind and the line, never the value. */
    static List<String> perLine(Path file, Function<String, List<String>> search) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> findings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            for (String kind : search.apply(lines.get(i))) {
                findings.add(kind + " at line " + (i + 1));
            }
        }
        return findings;
    }

    /** The kinds of identifier found in one line. */
    public static List<String> in(String line) {
        List<String> kinds = new ArrayList<>();
        line = OBJECT_HANDLE.matcher(line).replaceAll("/api/$1/{handle}");
        Matcher numbers = TWELVE_DIGITS.matcher(line);
        while (numbers.find()) {
            if (wellFormedNumber(numbers.group()) && !insideHex(line, numbers.start(), numbers.end())) {
                kinds.add("individual number");
            }
        }
        Matcher vids = SIXTEEN_DIGITS.matcher(line);
        while (vids.find()) {
            if (wellFormedVirtualId(vids.group()) && !insideHex(line, vids.start(), vids.end())) {
                kinds.add("virtual id");
            }
        }
        Matcher links = LINK_CODE.matcher(line);
        while (links.find()) {
            String candidate = links.group();
            // Both cases and a digit, '-' or '_': a camelCase Java name is not one (a random code lacks all three
            // of digit, '-' and '_' once in ~100).
            if (!candidate.equals(candidate.toLowerCase()) && !candidate.equals(candidate.toUpperCase())
                    && candidate.chars().anyMatch(c -> Character.isDigit(c) || c == '-' || c == '_')) {
                kinds.add("link code");
            }
        }
        Matcher seals = SEAL_CODE.matcher(line);
        while (seals.find()) {
            if (seals.group().chars().anyMatch(Character::isDigit) && !MESSAGE_ID.matcher(seals.group()).matches()) {
                kinds.add("verification code");
            }
        }
        Matcher bindings = BINDING_CODE.matcher(line);
        while (bindings.find()) {
            String candidate = bindings.group();
            // letters then digits is a message id (SRHCK01001), not a random code
            if (candidate.chars().anyMatch(Character::isDigit) && candidate.chars().anyMatch(Character::isLetter)
                    && !MESSAGE_ID.matcher(candidate).matches()) {
                kinds.add("binding code");
            }
        }
        if (SECRET_PARAMETER.matcher(line).find()) {
            kinds.add("identifier query parameter");
        }
        return kinds;
    }

    /** The ordinance's check digit, written independently of the production code. */
    /**
     * True when the digits at [start, end) are part of a longer hex string of 16 characters or more: a certificate serial,
     * a trace or span id, a hash. One random 32-character hex string in a thousand or so holds a run of 12 digits with a
     * valid check digit (CI met one in a certificate's status path); a number written into a URL or a log stands apart.
     */
    static boolean insideHex(String line, int start, int end) {
        int from = start;
        int to = end;
        while (from > 0 && Character.digit(line.charAt(from - 1), 16) >= 0) {
            from--;
        }
        while (to < line.length() && Character.digit(line.charAt(to), 16) >= 0) {
            to++;
        }
        return to - from > end - start && to - from >= 16;
    }

    public static boolean wellFormedNumber(String twelve) {
        int[] weights = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum += (twelve.charAt(i) - '0') * weights[i];
        }
        int check = 11 - sum % 11;
        return (check >= 10 ? 0 : check) == twelve.charAt(11) - '0';
    }

    /** Verhoeff over 16 digits, written independently of the production code (Verhoeff 1969, tables d, p, inv). */
    public static boolean wellFormedVirtualId(String sixteen) {
        int[][] d = new int[10][10];
        for (int j = 0; j < 10; j++) {
            for (int k = 0; k < 10; k++) {
                // the dihedral group D5: rotations 0-4, reflections 5-9
                boolean jr = j >= 5;
                boolean kr = k >= 5;
                int a = j % 5;
                int b = k % 5;
                d[j][k] = !jr && !kr ? (a + b) % 5 : !jr ? 5 + (a + b) % 5 : !kr ? 5 + ((a - b) % 5 + 5) % 5 : ((a - b) % 5 + 5) % 5;
            }
        }
        int[] p1 = {1, 5, 7, 6, 2, 8, 3, 0, 9, 4};
        int c = 0;
        for (int i = 0; i < sixteen.length(); i++) {
            int digit = sixteen.charAt(sixteen.length() - 1 - i) - '0';
            for (int r = 0; r < i % 8; r++) {
                digit = p1[digit];
            }
            c = d[c][digit];
        }
        return c == 0;
    }
}
