package org.myna.platform.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.myna.platform.hash.Sha256;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.platform.problem.ProblemMapper;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Exactly-once POSTs. The key is reserved by inserting a row (the unique constraint settles races), the act then
 * completes the row inside its own transaction ({@link Ticket#complete(Object)}), so the effect and the stored response
 * commit together. A replay with the same body gets the stored status and body byte for byte (less a secret shown
 * once, see {@link Ticket#complete(Object, Object)}); another body is a 409.
 * A refusal (4xx) is stored as the first result too; a failure of ours or of the registry (5xx) releases the key so
 * the client can retry. A reservation whose request died with its process (no response after
 * {@code idempotency.abandoned-after}) is taken over by the next retry, which then runs the act itself.
 */
@ApplicationScoped
public class Idempotency {

    private final EntityManager em;
    private final ObjectMapper json;
    private final ObjectMapper canonical;
    private final Duration abandonedAfter;

    /**
     * @param abandonedAfter a key reserved this long ago and still without a response belongs to a request that died
     *                       with its process (kill -9, OOM, a node lost): a retry may take it over instead of hearing
     *                       "in progress" for ever. A live request that is slower than this still cannot double its
     *                       effect: completing its key fails and rolls it back.
     */
    public Idempotency(EntityManager em, ObjectMapper json,
                       @ConfigProperty(name = "idempotency.abandoned-after", defaultValue = "PT30S") Duration abandonedAfter) {
        this.em = em;
        this.json = json;
        this.abandonedAfter = abandonedAfter;
        // Dates as ISO strings: a request with a LocalDate (an enrolment's coverage) could not be hashed at all.
        this.canonical = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
    }

    /** A reserved key; the act calls {@link #complete} inside the transaction that carries its effects. */
    public final class Ticket {
        private final long recordId;
        private final int successStatus;
        private String body;
        private boolean completed;

        private Ticket(long recordId, int successStatus) {
            this.recordId = recordId;
            this.successStatus = successStatus;
        }

        public void complete(Object result) {
            complete(result, result);
        }

        /**
         * For a result that carries a secret shown once (a binding code): this request answers {@code result}, the
         * record keeps {@code replayed}, the same answer without the secret, and a replay answers that. The secret is
         * therefore never in the record, where a copy of the database, a backup or an operator's query would read it
         * in clear for as long as the record is kept; a client that lost the first answer starts over for a new one.
         */
        public void complete(Object result, Object replayed) {
            body = write(result);
            String stored = replayed == result ? body : write(replayed);
            int rows = em.createQuery("update IdempotencyRecord r set r.status = :s, r.responseBody = :b where r.id = :id and r.status is null")
                    .setParameter("s", successStatus).setParameter("b", stored).setParameter("id", recordId).executeUpdate();
            if (rows != 1) {
                throw Problem.conflict("request-in-progress", "This Idempotency-Key was completed by another request.");
            }
            completed = true;
        }
    }

    /**
     * Runs {@code act} at most once per (scope, key). {@code act} must call {@link Ticket#complete} in the
     * transaction that holds its effects and return the same result object.
     */
    public Response execute(String scope, String key, String endpoint, Object request, int successStatus, Function<Ticket, Object> act) {
        requireKey(key);
        String hash = hash(endpoint, request);
        long id;
        try {
            id = QuarkusTransaction.requiringNew().call(() -> reserve(scope, key, endpoint, hash));
        } catch (RuntimeException e) {
            if (!Constraints.violated(e, "uq_idempotency_record")) {
                throw e;
            }
            Long taken = takeOverAbandoned(scope, key, endpoint, hash);
            if (taken == null) {
                return replay(scope, key, endpoint, hash);
            }
            id = taken;
        }
        Ticket ticket = new Ticket(id, successStatus);
        try {
            act.apply(ticket);
            if (!ticket.completed) {
                QuarkusTransaction.requiringNew().run(() -> ticket.complete(null));
            }
            return Response.status(successStatus).type(MediaType.APPLICATION_JSON_TYPE).entity(ticket.body).build();
        } catch (Problem p) {
            if (p.status() >= 500) {
                release(ticket.recordId);
                throw p;
            }
            Map<String, Object> body = problemBody(p);
            QuarkusTransaction.requiringNew().run(() -> em.createQuery(
                            "update IdempotencyRecord r set r.status = :s, r.responseBody = :b where r.id = :id and r.status is null")
                    .setParameter("s", p.status()).setParameter("b", write(body)).setParameter("id", ticket.recordId).executeUpdate());
            throw p;
        } catch (RuntimeException e) {
            release(ticket.recordId);
            throw e;
        }
    }

    /**
     * Like {@link #execute}, for acts that call no other service: the reservation, the effect and the stored response
     * are one transaction, so a request costs one commit instead of two. A concurrent request with the same key waits
     * on the unique constraint until the first commits and then replays it; if the first is rolled back, the second
     * goes ahead. A refusal (4xx) rolls the effect back and is then stored as the first result on its own. A
     * reservation abandoned by a two-step request of this key (see {@link #execute}) is taken over as there.
     */
    public Response executeAtomically(String scope, String key, String endpoint, Object request, int successStatus,
                                      Function<Ticket, Object> act) {
        requireKey(key);
        return atomically(scope, key, endpoint, hash(endpoint, request), successStatus, act, true);
    }

    private Response atomically(String scope, String key, String endpoint, String hash, int successStatus,
                                Function<Ticket, Object> act, boolean mayTakeOver) {
        Ticket[] ticket = new Ticket[1];
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                ticket[0] = new Ticket(reserve(scope, key, endpoint, hash), successStatus);
                act.apply(ticket[0]);
                if (!ticket[0].completed) {
                    ticket[0].complete(null);
                }
            });
            return Response.status(successStatus).type(MediaType.APPLICATION_JSON_TYPE).entity(ticket[0].body).build();
        } catch (Problem p) {
            if (p.status() < 500) {
                storeRefusal(scope, key, endpoint, hash, p);
            }
            throw p;
        } catch (RuntimeException e) {
            if (ticket[0] == null && Constraints.violated(e, "uq_idempotency_record")) {
                if (mayTakeOver && deleteAbandoned(scope, key, endpoint, hash)) {
                    return atomically(scope, key, endpoint, hash, successStatus, act, false);
                }
                return replay(scope, key, endpoint, hash);
            }
            throw e;
        }
    }

    /** Stores a refusal as the key's first result, unless another request with the key got there meanwhile. */
    private void storeRefusal(String scope, String key, String endpoint, String hash, Problem p) {
        String body = write(problemBody(p));
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                IdempotencyRecord r = newRecord(scope, key, endpoint, hash);
                r.status = p.status();
                r.responseBody = body;
                em.persist(r);
                em.flush();
            });
        } catch (RuntimeException e) {
            if (!Constraints.violated(e, "uq_idempotency_record")) {
                throw e;
            }
        }
    }

    /**
     * For a batched writer whose insert of the key found it taken: null when an abandoned reservation of this very
     * request was deleted (the caller runs the request again, once), else the stored answer or a 409.
     */
    public Response afterKeyTaken(String scope, String key, String endpoint, String hash, boolean mayTakeOver) {
        if (mayTakeOver && deleteAbandoned(scope, key, endpoint, hash)) {
            return null;
        }
        return replay(scope, key, endpoint, hash);
    }

    /** The body a refusal is stored with (and answered with, by {@link ProblemMapper}). */
    public String refusalJson(Problem p) {
        return write(problemBody(p));
    }

    /** A result as the JSON stored in the record and answered. */
    public String json(Object result) {
        return write(result);
    }

    /** The first answer of a request whose result was stored as {@code body}. */
    public static Response answer(int status, String body) {
        return Response.status(status).type(status >= 400 ? ProblemMapper.PROBLEM_JSON : MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    public static void requireKey(String key) {
        if (!IdempotencyKeys.valid(key)) {
            throw Problem.invalidField("Idempotency-Key", "idempotency-key-required",
                    "An Idempotency-Key header of 1 to " + IdempotencyKeys.MAX_LENGTH + " visible ASCII characters is required.");
        }
    }

    private static IdempotencyRecord newRecord(String scope, String key, String endpoint, String hash) {
        IdempotencyRecord r = new IdempotencyRecord();
        r.scope = scope;
        r.key = key;
        r.endpoint = endpoint;
        r.requestHash = hash;
        r.createdAt = OffsetDateTime.now();
        return r;
    }

    private long reserve(String scope, String key, String endpoint, String hash) {
        IdempotencyRecord r = newRecord(scope, key, endpoint, hash);
        em.persist(r);
        em.flush();
        return r.id;
    }

    /**
     * The same request whose reservation was left without a response for longer than the abandonment period: its
     * process died between reserving and completing. Deleting that reservation and reserving again in one
     * transaction gives the key a new record id, so the dead request's ticket (were it somehow alive) can no longer
     * complete or release it. Returns the new record id, or null when there is nothing to take over.
     */
    private Long takeOverAbandoned(String scope, String key, String endpoint, String hash) {
        try {
            return QuarkusTransaction.requiringNew().call(() ->
                    abandonedDeleted(scope, key, endpoint, hash) ? reserve(scope, key, endpoint, hash) : null);
        } catch (RuntimeException concurrentTakeOver) {
            // Another retry took it over at the same moment: it runs the act; this one hears "in progress".
            return null;
        }
    }

    /** For the one-transaction path: frees an abandoned reservation of this very request so that it can run again. */
    private boolean deleteAbandoned(String scope, String key, String endpoint, String hash) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> abandonedDeleted(scope, key, endpoint, hash));
        } catch (RuntimeException concurrentTakeOver) {
            return false;
        }
    }

    private boolean abandonedDeleted(String scope, String key, String endpoint, String hash) {
        OffsetDateTime cutoff = OffsetDateTime.now().minus(abandonedAfter);
        return em.createQuery("delete from IdempotencyRecord r where r.scope = :s and r.key = :k and r.endpoint = :e "
                        + "and r.requestHash = :h and r.status is null and r.createdAt < :cutoff")
                .setParameter("s", scope).setParameter("k", key).setParameter("e", endpoint).setParameter("h", hash)
                .setParameter("cutoff", cutoff).executeUpdate() == 1;
    }

    private Response replay(String scope, String key, String endpoint, String hash) {
        IdempotencyRecord r = QuarkusTransaction.requiringNew().call(() -> IdempotencyRecord
                .<IdempotencyRecord>find("scope = ?1 and key = ?2", scope, key).firstResult());
        if (r == null) {
            throw Problem.conflict("request-in-progress", "A request with this Idempotency-Key is still being processed; retry.");
        }
        if (!r.requestHash.equals(hash) || !r.endpoint.equals(endpoint)) {
            throw Problem.conflict("idempotency-key-reused", "This Idempotency-Key was used with a different request.");
        }
        if (r.status == null) {
            throw Problem.conflict("request-in-progress", "A request with this Idempotency-Key is still being processed; retry.");
        }
        MediaType type = r.status >= 400 ? ProblemMapper.PROBLEM_JSON : MediaType.APPLICATION_JSON_TYPE;
        return Response.status(r.status).type(type).entity(r.responseBody).header("Idempotent-Replayed", "true").build();
    }

    private void release(long recordId) {
        QuarkusTransaction.requiringNew().run(() -> em.createQuery("delete from IdempotencyRecord r where r.id = :id and r.status is null")
                .setParameter("id", recordId).executeUpdate());
    }

    private static Map<String, Object> problemBody(Problem p) {
        Response r = ProblemMapper.response(p.status(), p.code(), p.getMessage(), p.extra());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = new LinkedHashMap<>((Map<String, Object>) r.getEntity());
        return body;
    }

    /** SHA-256 over the endpoint and the canonical JSON of the parsed body (sorted keys, no whitespace). */
    public String hash(String endpoint, Object request) {
        try {
            return Sha256.hex(endpoint + "\n" + canonical.writeValueAsString(canonical.convertValue(request, Object.class)));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot hash request", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write response", e);
        }
    }
}
