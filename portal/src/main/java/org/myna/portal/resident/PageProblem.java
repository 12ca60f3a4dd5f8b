package org.myna.portal.resident;

import java.util.Map;

/**
 * A problem as the resident's pages show it: a sentence in words (its key in the messages) and the problem's code.
 * The sentence is the feature's own ({@code care.problem.<code>}, {@code money.problem.<code>}), else the portal's
 * common one ({@code problem.<code>}), else a general one; the code is always shown as it came.
 */
public record PageProblem(String code, String detail, String key) {

    public static PageProblem of(Map<String, String> words, String code, String detail) {
        return of(words, "care", "care.problem.unknown", code, detail);
    }

    /** The sentence of a feature's pages ({@code <feature>.problem.<code>}), else the portal's, else {@code otherwise}. */
    public static PageProblem of(Map<String, String> words, String feature, String otherwise, String code, String detail) {
        String own = feature + ".problem." + code;
        String common = "problem." + code;
        String key = words.containsKey(own) ? own : words.containsKey(common) ? common : otherwise;
        return new PageProblem(code, detail, key);
    }
}
