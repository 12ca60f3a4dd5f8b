package org.myna.portal.resident;

import java.util.Map;

/**
 * A problem as the resident's pages show it: a sentence in words (its key in the messages) and the problem's code.
 * The sentence is this page's own ({@code care.problem.<code>}), else the portal's common one
 * ({@code problem.<code>}), else a general one; the code is always shown as it came.
 */
public record PageProblem(String code, String detail, String key) {

    public static PageProblem of(Map<String, String> words, String code, String detail) {
        String own = "care.problem." + code;
        String common = "problem." + code;
        String key = words.containsKey(own) ? own : words.containsKey(common) ? common : "care.problem.unknown";
        return new PageProblem(code, detail, key);
    }
}
