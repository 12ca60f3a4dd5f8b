package org.myna.wallet.auth;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;

import jakarta.ws.rs.core.Response;

import java.time.OffsetDateTime;
import java.util.function.Supplier;

/**
 * Single-use operation tokens: the {@code op} claim binds the token to one act, and the {@code jti} is inserted in
 * the same transaction as the act, so a token left on a shared terminal cannot act twice.
 */
@ApplicationScoped
public class OperationTokens {

    private final EntityManager em;

    public OperationTokens(EntityManager em) {
        this.em = em;
    }

    /** Checked before anything happens: the token is an operation token for this very operation. */
    public String require(JsonWebToken jwt, String operation) {
        Object op = jwt.getClaim("op");
        if (jwt.getGroups() == null || !jwt.getGroups().contains(Roles.OPERATION) || !operation.equals(op == null ? null : op.toString())) {
            throw new Problem(403, "wrong-operation", "This endpoint needs an operation token for " + operation + ".");
        }
        if (jwt.getTokenID() == null || jwt.getTokenID().isBlank() || jwt.getSubject() == null) {
            throw new Problem(403, "wrong-operation", "The operation token has no id or subject.");
        }
        return jwt.getSubject();
    }

    /** Inside the act's transaction: a second use of the token fails the whole act. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void consume(JsonWebToken jwt) {
        ConsumedOperationToken used = new ConsumedOperationToken();
        used.jti = jwt.getTokenID();
        used.consumedAt = OffsetDateTime.now();
        try {
            em.persist(used);
            em.flush();
        } catch (PersistenceException e) {
            if (Constraints.violated(e, "pk_consumed_operation_token") || Constraints.violated(e, "consumed_operation_token")) {
                throw Problem.conflict("operation-token-used", "This operation token was already used; authenticate again.");
            }
            throw e;
        }
    }

    /**
     * Runs a request made with an operation token; when it is refused (4xx) the token is spent all the same, so a
     * token is good for one attempt. A failure of ours (5xx) leaves it usable for the retry.
     */
    public Response burnOnRefusal(String jti, Supplier<Response> request) {
        try {
            return request.get();
        } catch (Problem p) {
            if (p.status() < 500) {
                burn(jti);
            }
            throw p;
        }
    }

    /** After a refused act: the token is spent anyway (best effort, in its own transaction). */
    public void burn(String jti) {
        try {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into {h-schema}consumed_operation_token (jti, consumed_at) select ?1, ?2 "
                            + "where not exists (select 1 from {h-schema}consumed_operation_token where jti = ?1)")
                    .setParameter(1, jti).setParameter(2, OffsetDateTime.now()).executeUpdate());
        } catch (RuntimeException alreadySpent) {
            // A concurrent use inserted it first: spent either way.
        }
    }
}
