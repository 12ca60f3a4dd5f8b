package org.myna.registry.seal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.registry.common.Constraints;
import org.myna.registry.common.Problem;

import java.time.OffsetDateTime;

/**
 * Consumes a kiosk operation token in the issuing transaction: the jti goes into seal_kiosk_token, so the same token
 * can act once, and only if the issuance commits. Kept here rather than shared so seals do not depend on the
 * card/auth work; the contract (op claim, jti, 409 operation-token-used) is the suite's.
 */
@ApplicationScoped
class KioskTokens {

    static final String OPERATION = "kiosk-seal-certificate";
    static final String GROUP = "operation";

    /** Checks the token is a kiosk operation token and returns its jti; changes nothing. */
    String checkedJti(JsonWebToken token) {
        Object op = token.getClaim("op");
        if (token.getGroups() == null || !token.getGroups().contains(GROUP) || op == null || !OPERATION.equals(op.toString())) {
            throw new Problem(403, "wrong-operation", "This endpoint needs an operation token for " + OPERATION + ".");
        }
        String jti = token.getTokenID();
        if (jti == null || jti.isBlank() || jti.length() > 64) {
            throw new Problem(403, "wrong-operation", "The operation token carries no usable jti.");
        }
        return jti;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void consume(String jti) {
        KioskTokenUse use = new KioskTokenUse();
        use.jti = jti;
        use.consumedAt = OffsetDateTime.now();
        try {
            use.persistAndFlush();
        } catch (RuntimeException e) {
            if (duplicate(e)) {
                throw Problem.conflict("operation-token-used", "This operation token was already used.");
            }
            throw e;
        }
    }

    /** Only a key violation on this table means "used"; any other failure stays what it is. */
    private static boolean duplicate(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException
                    || t instanceof jakarta.persistence.EntityExistsException) {
                return Constraints.violated(e, "pk_seal_kiosk_token") || Constraints.violated(e, "seal_kiosk_token")
                        || t instanceof jakarta.persistence.EntityExistsException;
            }
        }
        return false;
    }
}
