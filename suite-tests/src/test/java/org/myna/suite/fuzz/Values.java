package org.myna.suite.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Values for a schema: mostly what the schema and the suite's real data allow (so requests get past validation and
 * reach the handlers), sometimes hostile — wrong types, missing fields, nulls, control characters, unpaired
 * surrogates, non-characters, huge strings, numbers where strings belong.
 */
public final class Values {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final List<String> HOSTILE = List.of("", " ", "\u0000", "\u001b[31m", "\ud800", "\udfff", "\ufffe", "\uffff",
            "a\u0000b", "../../etc/passwd", "%00", "%ZZ", "' OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x/a}",
            "999999999999999999999999", "-1", "0", "1e309", "NaN", "null", "true", "●", "ｱｲｳ", "\u202e", "x".repeat(5_000),
            "𠮷".repeat(300), "000000000000", "123456789018");

    private final OpenApiDocument doc;
    private final Random random;
    /** Real values from the suite's seed data, by property or parameter name. */
    final Map<String, List<String>> known = new HashMap<>();

    Values(OpenApiDocument doc, Random random) {
        this.doc = doc;
        this.random = random;
    }

    public void know(String name, String... values) {
        known.computeIfAbsent(name, n -> new ArrayList<>()).addAll(List.of(values));
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    JsonNode value(String name, JsonNode schema, boolean hostile, int depth) {
        schema = doc.resolve(schema);
        if (schema == null || schema.isMissingNode()) {
            return F.textNode("x");
        }
        if (hostile && chance(0.15)) {
            return wrong(schema);
        }
        if (schema.has("anyOf") || schema.has("oneOf")) {
            JsonNode options = schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf");
            JsonNode option = options.get(random.nextInt(options.size()));
            if (doc.resolve(option).path("type").asText().equals("null") && chance(0.8)) {
                option = options.get(0);
            }
            return value(name, option, hostile, depth);
        }
        if (schema.has("allOf")) {
            return value(name, schema.get("allOf").get(0), hostile, depth);
        }
        String type = type(schema);
        if (name != null && known.containsKey(name) && !type.equals("object") && !type.equals("array") && chance(0.85)) {
            String v = pick(known.get(name));
            return type.equals("integer") ? F.numberNode(Long.parseLong(v)) : F.textNode(v);
        }
        switch (type) {
            case "object": {
                ObjectNode o = F.objectNode();
                if (depth > 4) {
                    return o;
                }
                List<String> required = new ArrayList<>();
                schema.path("required").forEach(r -> required.add(r.asText()));
                schema.path("properties").fields().forEachRemaining(p -> {
                    boolean req = required.contains(p.getKey());
                    if ((req && !(hostile && chance(0.1))) || chance(0.6)) {
                        o.set(p.getKey(), value(p.getKey(), p.getValue(), hostile, depth + 1));
                    }
                });
                if (hostile && chance(0.1)) {
                    o.put("unexpected", "field");
                }
                return o;
            }
            case "array": {
                ArrayNode a = F.arrayNode();
                int n = hostile && chance(0.05) ? 0 : 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    a.add(value(name, schema.path("items"), hostile, depth + 1));
                }
                return a;
            }
            case "integer": {
                long min = schema.has("minimum") ? schema.get("minimum").asLong() : 0;
                long max = schema.has("maximum") ? schema.get("maximum").asLong() : 100_000;
                if (hostile && chance(0.3)) {
                    return F.numberNode(pick(List.of(-1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE, 10_000_001L)));
                }
                return F.numberNode(min + (long) (random.nextDouble() * Math.max(1, Math.min(max, 100_000) - min)));
            }
            case "number":
                return F.numberNode(random.nextDouble() * 100);
            case "boolean":
                return F.booleanNode(random.nextBoolean());
            case "null":
                return F.nullNode();
            default:
                return F.textNode(string(schema, hostile));
        }
    }

    private String string(JsonNode schema, boolean hostile) {
        if (hostile && chance(0.4)) {
            return pick(HOSTILE);
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size())).asText();
        }
        String pattern = schema.path("pattern").asText("");
        if (pattern.startsWith("^(?:") && pattern.endsWith(")$")) {
            pattern = pattern.substring(4, pattern.length() - 2); // the filter anchors Bean Validation's whole-value patterns
        }
        if (pattern.contains("|") && pattern.matches("[a-z|-]+")) {
            String[] options = pattern.split("\\|");
            return options[random.nextInt(options.length)];
        }
        String format = schema.path("format").asText("");
        switch (format) {
            case "date":
                return "1985-06-15";
            case "date-time":
                return "2026-12-07T10:00:00+09:00";
            case "uri":
                return "about:blank";
            default:
                break;
        }
        if (pattern.equals("\\d{7}")) {
            return "1234567";
        }
        if (pattern.equals("\\d{4}")) {
            return "0001";
        }
        if (pattern.equals("\\d{3}")) {
            return "001";
        }
        if (pattern.equals("[0-9]{2}")) {
            return "01";
        }
        if (pattern.startsWith("\\d{3}-?")) {
            return "100-0001";
        }
        if (pattern.equals("[0-9a-f]{64}")) {
            return "0".repeat(64);
        }
        if (pattern.contains("\\u3041") || pattern.contains("Katakana")) {
            return pick(List.of("タカハシ", "やまだ", "ヨシコ"));
        }
        return pick(List.of("東京都", "千代田区", "記号123", "テスト", "abc", "1"));
    }

    private JsonNode wrong(JsonNode schema) {
        return switch (random.nextInt(6)) {
            case 0 -> F.nullNode();
            case 1 -> F.numberNode(123456789018L);
            case 2 -> F.textNode(pick(HOSTILE));
            case 3 -> F.booleanNode(true);
            case 4 -> F.arrayNode().add("x");
            default -> F.objectNode().put("x", 1);
        };
    }

    static String type(JsonNode schema) {
        JsonNode t = schema.path("type");
        if (t.isArray()) {
            for (JsonNode x : t) {
                if (!x.asText().equals("null")) {
                    return x.asText();
                }
            }
            return "null";
        }
        if (t.isTextual()) {
            return t.asText();
        }
        return schema.has("properties") ? "object" : schema.has("items") ? "array" : "string";
    }
}
