package org.myna.registry.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.registry.linkcode.LinkCodeService;

import java.time.OffsetDateTime;
import java.util.Set;

/**
 * Consumes a single-use operation token inside the transaction of the act it authorises: the act and the
 * consumption commit together, and a replay (same jti) hits the primary key and fails with 409.
 */
@ApplicationScoped
public class OperationTokens {

    public static final String GROUP = "operation";
    public static final Set<String> OPERATIONS = Set.of("choose-payment-service", "apply-points",
            "register-public-fund-account", "kiosk-seal-certificate", "create-virtual-id");
    /** The registry resolves the token subject through its own audience's link codes. */
    static final String AUDIENCE = "registry";

    private final LinkCodeService linkCodes;
    private final EntityManager em;

    public OperationTokens(LinkCodeService linkCodes, EntityManager em) {
        this.linkCodes = linkCodes;
        this.em = em;
    }

    /** Returns the resident the token was issued to; call it first in the act's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long consume(JsonWebToken jwt, String operation) {
        if (jwt == null || jwt.getGroups() == null || !jwt.getGroups().contains(GROUP)) {
            throw new Problem(401, "operation-token-required", "This act needs a single-use operation token.");
        }
        if (!operation.equals(text(jwt.getClaim("op")))) {
            throw new Problem(403, "operation-token-wrong-operation", "This operation token was issued for another operation.");
        }
        String jti = jwt.getTokenID();
        if (jti == null || jti.isBlank() || jti.length() > 64) {
            throw new Problem(401, "operation-token-invalid", "The operation token carries no usable id.");
        }
        long residentId = linkCodes.residentFor(AUDIENCE, jwt.getSubject()).orElseThrow(() ->
                new Problem(401, "operation-token-invalid", "The operation token's subject is unknown."));
        ConsumedOperationToken consumed = new ConsumedOperationToken();
        consumed.jti = jti;
        consumed.consumedAt = OffsetDateTime.now();
        try {
            em.persist(consumed);
            em.flush();
        } catch (PersistenceException e) {
            if (Constraints.violated(e, "consumed_operation_token")) {
                throw Problem.conflict("operation-token-used", "This operation token has already been used.");
            }
            throw e;
        }
        return residentId;
    }

    static String text(Object claim) {
        if (claim instanceof JsonString json) {
            return json.getString();
        }
        return claim == null ? null : claim.toString();
    }
}
