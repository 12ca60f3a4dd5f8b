package org.myna.platform.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * DESIGN §6.8 for logs: after a module's whole test run (races, malformed input and every error path included) its
 * log may hold no number, link code, token, token id, nonce, secret, idempotency key or personal name. Each kind
 * is recognised by its shape, so a value the tests never announced is caught too; findings name the kind and the
 * line, never the value.
 */
public final class LogLeaks {

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}");
    /** Token ids (jti), idempotency keys and event ids of the tests are UUIDs. */
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Nonces and challenges: 32 random bytes, base64url. */
    private static final Pattern NONCE = Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])");
    /** Names and addresses are Japanese; the services' own messages never are. */
    private static final Pattern JAPANESE = Pattern.compile("[\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}]");
    private static final Pattern SECRET = Pattern.compile("(?i)client_secret=|-secret\\b|password=");
    /** A driver's message naming the clashing values (H2 after "VALUES (", PostgreSQL "Key (column)=(value)"). */
    private static final Pattern DRIVER_DETAIL = Pattern.compile("VALUES \\( /\\*|Key \\([^)]*\\)=\\(");

    private LogLeaks() {
    }

    public static List<String> in(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        List<String> findings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            for (String kind : in(lines.get(i))) {
                findings.add(kind + " at line " + (i + 1));
            }
        }
        return findings;
    }

    public static List<String> in(String line) {
        List<String> kinds = new ArrayList<>(UrlLeaks.in(line));
        kinds.remove("identifier query parameter");
        check(kinds, line, JWT, "token");
        check(kinds, line, UUID, "token id or idempotency key");
        if (NONCE.matcher(line).results().anyMatch(m -> !m.group().equals(m.group().toLowerCase()))) {
            kinds.add("nonce");
        }
        check(kinds, line, JAPANESE, "personal name or address");
        check(kinds, line, SECRET, "secret");
        check(kinds, line, DRIVER_DETAIL, "driver detail with clashing values");
        return kinds;
    }

    private static void check(List<String> kinds, String line, Pattern pattern, String kind) {
        if (pattern.matcher(line).find()) {
            kinds.add(kind);
        }
    }
}
