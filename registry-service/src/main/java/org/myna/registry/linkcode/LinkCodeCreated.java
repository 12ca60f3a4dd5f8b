package org.myna.registry.linkcode;

import java.util.Collection;

/**
 * Fired (synchronously, in the transaction that creates them) when residents get their first link code for an
 * audience: a subscriber that keeps card states learns their existing cards from it (see CardStandingSnapshot).
 */
public record LinkCodeCreated(Collection<Long> residentIds, String audience) {
}
