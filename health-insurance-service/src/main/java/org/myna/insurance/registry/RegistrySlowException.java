package org.myna.insurance.registry;

/**
 * The registry did not answer in time. Counted by the breaker like any unavailability, but never retried: a registry
 * that is slow because it is overloaded (a cold start under a clinic's morning rush) only gets slower when every
 * timed-out call comes back twice more, and the calls it still works on for nobody kept the breaker open.
 */
public class RegistrySlowException extends RegistryUnavailableException {

    public RegistrySlowException(String message) {
        super(message);
    }
}
