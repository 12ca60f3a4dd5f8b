package org.myna.platform.openapi;

import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An example body made from a schema, for the operations whose documents have none: a schema's own example or enum
 * first, then a value the suite's rules accept for the property's name (a 12-digit number with its check digit, kana
 * for a kana field), then one of the schema's type. A value that would break the schema's pattern is left out rather
 * than shown wrong.
 */
final class Examples {

    private static final Map<String, Object> BY_NAME = Map.ofEntries(
            Map.entry("number", "123456789018"), Map.entry("individualNumber", "123456789018"),
            Map.entry("familyName", "髙橋"), Map.entry("givenName", "𠮷子"),
            Map.entry("familyNameKana", "タカハシ"), Map.entry("givenNameKana", "ヨシコ"), Map.entry("holderKana", "タカハシ ヨシコ"),
            Map.entry("dateOfBirth", "1985-06-15"), Map.entry("sex", "female"), Map.entry("postalCode", "100-0001"),
            Map.entry("prefecture", "東京都"), Map.entry("municipality", "千代田区"), Map.entry("line", "千代田1-1"),
            Map.entry("corporateNumber", "5835678256246"), Map.entry("merchantCorporateNumber", "5835678256246"),
            Map.entry("paymentService", "5835678256246"), Map.entry("insurerNumber", "06139992"),
            Map.entry("bankCode", "0001"), Map.entry("branchCode", "001"), Map.entry("accountNumber", "1234567"),
            Map.entry("accountType", "ordinary"), Map.entry("copayRate", 30), Map.entry("amount", 1000),
            Map.entry("coverageStart", "2020-04-01"), Map.entry("symbol", "記号123"), Map.entry("branch", "01"),
            Map.entry("linkCode", "lc_3Jx9QpTz"), Map.entry("purpose", "resident-record-inquiry"),
            Map.entry("rule", "card-acquisition"), Map.entry("audience", "wallet"), Map.entry("campaign", "default"));

    private final Components components;

    Examples(Components components) {
        this.components = components;
    }

    Object of(Schema schema) {
        return value(null, schema, 0);
    }

    private Object value(String name, Schema schema, int depth) {
        schema = resolve(schema);
        if (schema == null || depth > 6) {
            return null;
        }
        if (schema.getExample() != null) {
            return schema.getExample();
        }
        if (schema.getEnumeration() != null && !schema.getEnumeration().isEmpty()) {
            return schema.getEnumeration().get(0);
        }
        if (schema.getAnyOf() != null) {
            for (Schema option : schema.getAnyOf()) {
                Object v = value(name, option, depth);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
        if (schema.getAllOf() != null) {
            Map<String, Object> merged = new LinkedHashMap<>();
            for (Schema part : schema.getAllOf()) {
                if (value(name, part, depth + 1) instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> merged.put(String.valueOf(k), v));
                }
            }
            return merged;
        }
        List<Schema.SchemaType> types = schema.getType() == null ? List.of() : schema.getType();
        if (schema.getProperties() != null || types.contains(Schema.SchemaType.OBJECT)) {
            Map<String, Object> object = new LinkedHashMap<>();
            if (schema.getProperties() != null) {
                schema.getProperties().forEach((property, s) -> {
                    Object v = value(property, s, depth + 1);
                    if (v != null) {
                        object.put(property, v);
                    }
                });
            }
            return object;
        }
        if (types.contains(Schema.SchemaType.ARRAY)) {
            Object item = value(name, schema.getItems(), depth + 1);
            return item == null ? List.of() : List.of(item);
        }
        if (types.contains(Schema.SchemaType.INTEGER) || types.contains(Schema.SchemaType.NUMBER)) {
            Object known = name == null ? null : BY_NAME.get(name); // a Map.of refuses a null key
            if (known instanceof Number) {
                return known;
            }
            return schema.getMinimum() != null ? schema.getMinimum() : BigDecimal.ONE;
        }
        if (types.contains(Schema.SchemaType.BOOLEAN)) {
            return true;
        }
        if (types.contains(Schema.SchemaType.STRING)) {
            return string(name, schema);
        }
        return null;
    }

    private Object string(String name, Schema schema) {
        Object known = name == null ? null : BY_NAME.get(name); // a Map.of refuses a null key
        String v;
        if (known instanceof String s) {
            v = s;
        } else if ("date".equals(schema.getFormat())) {
            v = "2026-04-01";
        } else if ("date-time".equals(schema.getFormat())) {
            v = "2026-04-01T09:00:00+09:00";
        } else if ("uri".equals(schema.getFormat())) {
            v = "about:blank";
        } else {
            v = "example";
        }
        if (schema.getPattern() != null && schema.getPattern().matches("[a-z-]+(\\|[a-z-]+)+")) {
            return schema.getPattern().split("\\|")[0]; // an enumeration written as a pattern
        }
        if (schema.getPattern() != null) {
            try {
                if (!Pattern.compile(schema.getPattern()).matcher(v).find()) {
                    return null;
                }
            } catch (RuntimeException e) {
                return null;
            }
        }
        return v;
    }

    private Schema resolve(Schema schema) {
        for (int i = 0; schema != null && schema.getRef() != null && i < 10; i++) {
            String ref = schema.getRef();
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            schema = components == null || components.getSchemas() == null ? null : components.getSchemas().get(name);
        }
        return schema;
    }
}
