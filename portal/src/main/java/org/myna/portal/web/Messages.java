package org.myna.portal.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The pages' words, Japanese first and English available: {@code messages_ja.properties} and
 * {@code messages_en.properties} (UTF-8). The language is the {@code lang} cookie set by {@link LanguageResource};
 * a key missing in English falls back to Japanese, and a key missing everywhere shows as itself (never blank).
 */
@ApplicationScoped
public class Messages {

    public static final String COOKIE = "lang";

    private final Map<String, Map<String, String>> byLanguage = Map.of(
            "ja", load("ja"), "en", load("en"));

    public static String language(HttpHeaders headers) {
        Cookie c = headers == null ? null : headers.getCookies().get(COOKIE);
        return c != null && "en".equals(c.getValue()) ? "en" : "ja";
    }

    /** All words of one language, for a template ({m.get('key')}); unknown keys answer the key. */
    public Map<String, String> of(String language) {
        Map<String, String> ja = byLanguage.get("ja");
        Map<String, String> chosen = byLanguage.getOrDefault(language, ja);
        return new HashMap<>(ja) {
            @Override
            public String get(Object key) {
                String v = chosen.get(key);
                if (v == null) {
                    v = ja.get(key);
                }
                return v == null ? String.valueOf(key) : v;
            }
        };
    }

    public Map<String, String> of(HttpHeaders headers) {
        return of(language(headers));
    }

    private static Map<String, String> load(String language) {
        Properties p = new Properties();
        try (InputStream in = Messages.class.getResourceAsStream("/messages_" + language + ".properties")) {
            if (in != null) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> m = new HashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v.toString()));
        return Map.copyOf(m);
    }
}
