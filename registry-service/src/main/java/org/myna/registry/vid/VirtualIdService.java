package org.myna.registry.vid;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.auth.OperationTokens;
import org.myna.registry.config.RegistryConfig;
import org.myna.registry.resident.IndividualNumber;
import org.myna.registry.resident.NumberVault;
import org.myna.registry.resident.Resident;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Creates, revokes and resolves virtual IDs. A resident has at most one active VID (the database's unique
 * constraint on {@code active_resident_id}); an unknown, revoked and expired VID resolve alike, by the same single
 * query, to nothing.
 */
@ApplicationScoped
public class VirtualIdService {

    static final String CREATE = "create-virtual-id";

    private final NumberVault vault;
    private final OperationTokens operationTokens;
    private final AccessLog accessLog;
    private final EntityManager em;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();

    public VirtualIdService(NumberVault vault, OperationTokens operationTokens, AccessLog accessLog, EntityManager em,
                            RegistryConfig config) {
        this.vault = vault;
        this.operationTokens = operationTokens;
        this.accessLog = accessLog;
        this.em = em;
        this.lifetime = config.virtualId().lifetime();
    }

    /** The VID in clear, shown once to its holder: only its keyed hash is kept. */
    public record Created(String virtualId, OffsetDateTime createdAt, OffsetDateTime expiresAt) {
        @Override
        public String toString() {
            return "Created[virtualId=****************, expiresAt=" + expiresAt + "]";
        }
    }

    public record Status(boolean active, OffsetDateTime createdAt, OffsetDateTime expiresAt) {
    }

    /** Creates the resident's VID with a single-use operation token; 409 while another is active. */
    @Transactional
    public Created create(JsonWebToken jwt) {
        long residentId = operationTokens.consume(jwt, CREATE);
        OffsetDateTime now = OffsetDateTime.now();
        Optional<VirtualIdRow> current = active(residentId);
        if (current.isPresent()) {
            if (current.get().expiresAt.isAfter(now)) {
                throw activeAlready();
            }
            current.get().end("expired", now);
            em.flush();
        }
        VirtualId vid = VirtualId.random(random);
        VirtualIdRow row = new VirtualIdRow();
        row.residentId = residentId;
        row.activeResidentId = residentId;
        row.vidHmac = vault.virtualIdHash(vid.digits());
        row.createdAt = now;
        row.expiresAt = now.plus(lifetime);
        try {
            em.persist(row);
            em.flush();
        } catch (PersistenceException e) {
            // A parallel creation won the resident's one active slot. A clash of two random VIDs (10^-15) lands
            // here too and is answered the same: the resident retries.
            if (Constraints.integrity(e)) {
                throw activeAlready();
            }
            throw e;
        }
        accessLog.record(residentId, AccessLog.CREATE, "virtual-id-creation", "virtualId");
        return new Created(vid.digits(), row.createdAt, row.expiresAt);
    }

    static String use(String purpose) {
        String p = "virtual-id-use:" + purpose;
        return p.length() <= 100 ? p : p.substring(0, 100);
    }

    private static Problem activeAlready() {
        return Problem.conflict("virtual-id-active", "A virtual ID is already active; revoke it before creating another.");
    }

    @Transactional
    public Status status(long residentId) {
        return active(residentId).filter(r -> r.expiresAt.isAfter(OffsetDateTime.now()))
                .map(r -> new Status(true, r.createdAt, r.expiresAt))
                .orElse(new Status(false, null, null));
    }

    /** Revokes the resident's active VID at once; 404 when there is none. */
    @Transactional
    public void revoke(long residentId) {
        VirtualIdRow row = active(residentId).orElseThrow(() ->
                Problem.notFound("no-active-virtual-id", "There is no active virtual ID to revoke."));
        OffsetDateTime now = OffsetDateTime.now();
        row.end(row.expiresAt.isAfter(now) ? "revoked" : "expired", now);
        accessLog.record(residentId, AccessLog.UPDATE, "virtual-id-revocation", "virtualId");
    }

    private Optional<VirtualIdRow> active(long residentId) {
        return VirtualIdRow.<VirtualIdRow>find("activeResidentId", residentId)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /**
     * The number behind an active, unexpired VID, recording the use in its holder's access log in the caller's
     * transaction (or its own). Unknown, revoked and expired VIDs take the same path: one indexed query that finds
     * no row, no log, and the same empty answer.
     */
    @Transactional
    public Optional<IndividualNumber> resolve(VirtualId vid, String purpose) {
        Optional<Object[]> found = em.createQuery("select r.id, r.numberCipher from VirtualIdRow v, Resident r "
                        + "where v.vidHmac = :h and v.activeResidentId = r.id and v.expiresAt > :now", Object[].class)
                .setParameter("h", vault.virtualIdHash(vid.digits()))
                .setParameter("now", OffsetDateTime.now())
                .getResultStream().findFirst();
        return found.map(row -> {
            accessLog.record((Long) row[0], AccessLog.EXCHANGE, use(purpose), "virtualId");
            return vault.decrypt((String) row[1]);
        });
    }
}
