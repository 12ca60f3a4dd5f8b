package org.myna.registry.resident;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Draws fresh random individual numbers. Each thread has its own DRBG ({@code SecureRandom} "DRBG", SP 800-90A,
 * seeded from the system's entropy), so that a bulk import does not queue on one shared generator's lock.
 * Uniqueness is not this class's job: the database's unique constraint on the number's HMAC decides, and the
 * callers draw again on a collision. A bean, so that tests can force collisions.
 */
@ApplicationScoped
public class NumberDrawer {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    });

    public IndividualNumber draw() {
        return IndividualNumber.random(RANDOM.get());
    }
}
