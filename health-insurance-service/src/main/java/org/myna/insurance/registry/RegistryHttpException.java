package org.myna.insurance.registry;

/** An error status from the registry with its (problem+json) body; never carries what we sent. */
class RegistryHttpException extends RuntimeException {

    final int status;
    final String body;

    RegistryHttpException(int status, String body) {
        super("registry answered " + status, null, false, false);
        this.status = status;
        this.body = body;
    }
}
