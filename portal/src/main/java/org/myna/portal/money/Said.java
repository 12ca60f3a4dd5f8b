package org.myna.portal.money;

/**
 * A refusal as a page shows it: a sentence in words (the message {@code key}), the service's own {@code code}, and its
 * detail. The key is this feature's sentence for the code when there is one, the portal's general one for the code
 * otherwise, and a general "refused" sentence for a code no page knows.
 */
public record Said(String key, String code, String detail) {
}
