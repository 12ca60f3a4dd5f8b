package org.myna.registry.resident;

/**
 * Fired synchronously inside the transaction that changed a resident, so that observers (cards, seals, the
 * outbox) change with it or not at all.
 */
public record ResidentChanged(long residentId, Kind kind) {
    public enum Kind { MOVED, RENAMED, DECEASED }
}
