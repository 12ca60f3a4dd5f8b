package org.myna.insurance.registry;

/** The registry could not give an answer (down, 5xx, refused our credentials): retried, counted by the breaker. */
public class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message) {
        super(message, null, false, false);
    }
}
