package org.myna.portal.money;

import java.util.List;

/** A choice in a form: its value and the message key of its words. */
public record Option(String value, String key) {

    static List<Option> of(String keyPrefix, List<String> values) {
        return values.stream().map(v -> new Option(v, keyPrefix + v)).toList();
    }
}
