package org.myna.portal.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The pages' words, Japanese first and English available: {@code messages_ja.properties} and
 * {@code messages_en.properties} (UTF-8). The language is the {@code lang} cookie set by {@link LanguageResource};
 * a key missing in English falls back to Japanese, and a key missing everywhere shows as itself (never blank).
 */
@ApplicationScoped
public class Messages {

    public static final String COOKIE = "lang";

    /** Each language's words, English over Japanese, built once: a page reads them, it never copies them. */
    private final Map<String, Map<String, String>> byLanguage;

    public Messages() {
        Map<String, String> ja = load("ja");
        byLanguage = Map.of("ja", words(ja, Map.of()), "en", words(ja, load("en")));
    }

    public static String language(HttpHeaders headers) {
        Cookie c = headers == null ? null : headers.getCookies().get(COOKIE);
        return c != null && "en".equals(c.getValue()) ? "en" : "ja";
    }

    /** All words of one language, for a template ({m.get('key')}); unknown keys answer the key. */
    public Map<String, String> of(String language) {
        return byLanguage.getOrDefault(language, byLanguage.get("ja"));
    }

    public Map<String, String> of(HttpHeaders headers) {
        return of(language(headers));
    }

    private static Map<String, String> words(Map<String, String> base, Map<String, String> over) {
        Map<String, String> all = new HashMap<>(base);
        all.putAll(over);
        Map<String, String> fixed = Map.copyOf(all);
        return new AbstractMap<>() {
            @Override
            public String get(Object key) {
                String v = fixed.get(key);
                return v == null ? String.valueOf(key) : v;
            }

            @Override
            public boolean containsKey(Object key) {
                return fixed.containsKey(key);
            }

            @Override
            public Set<Entry<String, String>> entrySet() {
                return fixed.entrySet();
            }
        };
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
