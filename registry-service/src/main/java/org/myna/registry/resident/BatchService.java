package org.myna.registry.resident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.accesslog.AccessLogEntry;
import org.myna.registry.auth.Caller;
import org.myna.registry.common.BulkIds;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A municipality's bulk import. Each record is validated on its own; valid records are written in chunks, each
 * chunk one transaction of set-based queries and JDBC batch inserts (resident, registration key, access-log row per
 * record; ids from their sequences in one query each, see {@link BulkIds}; on PostgreSQL the residents by COPY). Record keys are "batchId/ref", so a retried batch reports what it created before. Numbers are unique by
 * the database's constraint: a chunk checks its draws in one query and redraws the taken ones; a number taken by a
 * concurrent registration in between fails the chunk, which is then retried, and settled record by record through
 * {@link ResidentService#register} if it keeps failing.
 */
@ApplicationScoped
public class BatchService {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(BatchService.class);

    static final int CHUNK = 1000;
    static final String BATCH_PURPOSE = "resident-registration:batch";
    static final int CHUNK_ATTEMPTS = 3;
    static final int MAX_DRAW_ROUNDS = 8;

    private final ResidentService residents;
    private final NumberVault vault;
    private final NumberDrawer drawer;
    private final BulkIds ids;
    private final AgroalDataSource dataSource;
    private final Caller caller;
    private final Validator validator;
    private final ObjectMapper json;
    private final String schema;
    /** Chunks rolled back by an integrity violation and tried again (a number race or a concurrent retry). */
    private final java.util.concurrent.atomic.AtomicLong chunkRetries = new java.util.concurrent.atomic.AtomicLong();

    public BatchService(ResidentService residents, NumberVault vault, NumberDrawer drawer, BulkIds ids, AgroalDataSource dataSource,
                        Caller caller, ValidatorFactory validators, ObjectMapper json,
                        @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema", defaultValue = "registry") String schema) {
        this.residents = residents;
        this.vault = vault;
        this.drawer = drawer;
        this.ids = ids;
        this.dataSource = dataSource;
        this.caller = caller;
        // The records are plain request records, never JPA entities: asking JPA whether each property is loaded (the
        // default resolver's work when Hibernate ORM is present) took a fifth of the validation time of a batch.
        this.validator = validators.usingContext().traversableResolver(TRAVERSE_ALL).getValidator();
        this.json = json;
        this.schema = schema;
    }

    /** How many chunks an integrity violation rolled back so far (each then tried again). */
    public long chunkRetries() {
        return chunkRetries.get();
    }

    /** Records stay raw JSON here so that each is validated, and reported, on its own; the document names their shape. */
    public record BatchRequest(String batchId,
                               @Schema(type = SchemaType.ARRAY, implementation = ResidentBatchRecord.class) List<JsonNode> records) {
    }

    /** One record of a batch as the OpenAPI document describes it: the caller's reference and a registration. */
    @Schema(name = "ResidentBatchRecord", allOf = {RecordRef.class, RegisterResidentRequest.class})
    public interface ResidentBatchRecord {
    }

    public record RecordRef(@Schema(required = true, minLength = 1, maxLength = 90) String ref) {
    }

    public record Violation(String field, String message) {
    }

    public record RecordResult(String ref, String status, String number, List<Violation> violations) {
        static RecordResult rejected(String ref, List<Violation> violations) {
            return new RecordResult(ref, "rejected", null, violations);
        }
    }

    public record BatchResponse(String batchId, int created, int existing, int rejected, List<RecordResult> results) {
    }

    private static final TraversableResolver TRAVERSE_ALL = new TraversableResolver() {
        @Override
        public boolean isReachable(Object bean, Path.Node node, Class<?> root, Path path, java.lang.annotation.ElementType type) {
            return true;
        }

        @Override
        public boolean isCascadable(Object bean, Path.Node node, Class<?> root, Path path, java.lang.annotation.ElementType type) {
            return true;
        }
    };

    private record Valid(int index, String ref, RegisterResidentRequest request, String hash) {
    }

    public BatchResponse importBatch(BatchRequest batch, int maxRecords) {
        if (batch.batchId() == null || !batch.batchId().matches("[A-Za-z0-9._:-]{1,100}")) {
            throw Problem.invalidField("batchId", "invalid-batch-id", "batchId must be 1-100 letters, digits, . _ : or -");
        }
        if (batch.records() == null || batch.records().isEmpty() || batch.records().size() > maxRecords) {
            throw Problem.invalidField("records", "invalid-batch-size", "records must hold 1 to " + maxRecords + " records");
        }
        RecordResult[] results = new RecordResult[batch.records().size()];
        List<Valid> valid = new ArrayList<>();
        Set<String> refs = new HashSet<>();
        for (int i = 0; i < batch.records().size(); i++) {
            JsonNode node = batch.records().get(i);
            String ref = node != null && node.path("ref").isTextual() ? node.get("ref").asText() : null;
            if (ref == null || ref.isBlank() || ref.length() > 90) {
                results[i] = RecordResult.rejected(ref, List.of(new Violation("ref", "must be a text of 1-90 characters")));
                continue;
            }
            if (!refs.add(ref)) {
                results[i] = RecordResult.rejected(ref, List.of(new Violation("ref", "appears twice in this batch")));
                continue;
            }
            // Most records of an import are plainly valid: read and checked by hand (PlainRecordReader); any other goes
            // through data binding and the validator, which decide and word every rejection as they always did.
            RegisterResidentRequest plain = PlainRecordReader.read(node.get("resident"));
            if (plain != null) {
                valid.add(new Valid(i, ref, plain, residents.requestHash(plain)));
                continue;
            }
            try {
                RegisterResidentRequest request = json.treeToValue(node.get("resident"), RegisterResidentRequest.class);
                if (request == null) {
                    results[i] = RecordResult.rejected(ref, List.of(new Violation("resident", "must not be null")));
                    continue;
                }
                Set<ConstraintViolation<RegisterResidentRequest>> violations = validator.validate(request);
                if (!violations.isEmpty()) {
                    results[i] = RecordResult.rejected(ref, violations.stream()
                            .map(v -> new Violation("resident." + v.getPropertyPath(), v.getMessage()))
                            .sorted(Comparator.comparing(Violation::field)).toList());
                    continue;
                }
                valid.add(new Valid(i, ref, request, residents.requestHash(request)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                results[i] = RecordResult.rejected(ref, List.of(new Violation("resident", "is not a valid resident record")));
            }
        }
        String clientId = caller.id();
        String role = caller.role();
        for (int from = 0; from < valid.size(); from += CHUNK) {
            List<Valid> chunk = valid.subList(from, Math.min(valid.size(), from + CHUNK));
            Map<Integer, RecordResult> written = null;
            for (int attempt = 1; attempt <= CHUNK_ATTEMPTS && written == null; attempt++) {
                // The first attempt writes without asking which keys were imported before: the unique registration key
                // refuses any such record, rolling the chunk back, and the next attempt asks. A new batch (the bulk of
                // any import) saves a look-up per record; a retried one pays one failed attempt.
                boolean lookFirst = attempt > 1;
                try {
                    written = QuarkusTransaction.requiringNew().call(() -> writeChunk(batch.batchId(), clientId, role, chunk, lookFirst));
                } catch (RuntimeException e) {
                    if (Constraints.infrastructure(e)) {
                        throw e; // the database failed, not these records: a 503, never "refused"
                    }
                    // A number drawn by a concurrent registration between our check and our insert, or a concurrent
                    // retry of the same batch: the whole chunk rolled back; try it again with fresh draws (the
                    // retry sees the other's committed keys). Any other failure: settle record by record.
                    if (!Constraints.integrity(e)) {
                        // Not a race: the records are settled one by one. Say so, naming only the exception types
                        // (messages can quote row values).
                        LOG.warnf("batch chunk of %d records failed (%s), settling its records one by one", chunk.size(), causes(e));
                        break;
                    }
                    chunkRetries.incrementAndGet();
                    LOG.infof("batch chunk of %d records rolled back by a constraint (attempt %d), trying again", chunk.size(), attempt);
                }
            }
            if (written != null) {
                written.forEach((index, result) -> results[index] = result);
            } else {
                for (Valid v : chunk) {
                    results[v.index()] = one(batch.batchId(), v);
                }
            }
        }
        int created = 0, existing = 0, rejected = 0;
        for (RecordResult r : results) {
            switch (r.status()) {
                case "created" -> created++;
                case "existing" -> existing++;
                default -> rejected++;
            }
        }
        return new BatchResponse(batch.batchId(), created, existing, rejected, List.of(results));
    }

    private RecordResult one(String batchId, Valid v) {
        try {
            ResidentService.Registration r = residents.register(v.request(), key(batchId, v.ref()));
            return new RecordResult(v.ref(), r.created() ? "created" : "existing", r.resident().number(), null);
        } catch (Problem p) {
            return RecordResult.rejected(v.ref(), List.of(new Violation("ref", p.getMessage())));
        } catch (RuntimeException e) {
            if (Constraints.integrity(e)) {
                return RecordResult.rejected(v.ref(), List.of(new Violation("resident", "was refused by the register's constraints")));
            }
            throw e;
        }
    }

    /**
     * Writes one chunk in the caller's transaction with plain JDBC on the transaction's connection: one query for the
     * keys of earlier imports, one query (plus one per redraw round) for numbers already taken, one per id sequence, then
     * the rows of resident (which carries the registration key) and access_log: on PostgreSQL a COPY and one
     * INSERT ... SELECT ({@link #copy}), elsewhere one batched insert each. Answers the result per record index; the
     * caller applies them only after the commit.
     */
    private Map<Integer, RecordResult> writeChunk(String batchId, String clientId, String role, List<Valid> chunk, boolean lookFirst) {
        Map<Integer, RecordResult> out = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            Map<String, String[]> earlier = lookFirst
                    ? earlierKeys(c, clientId, batchId, chunk.stream().map(v -> key(batchId, v.ref())).toList()) : Map.of();
            // Nothing looked up (a first attempt): every record is fresh, without a key built and hashed per record.
            List<Valid> fresh = earlier.isEmpty() ? chunk : new ArrayList<>();
            for (Valid v : earlier.isEmpty() ? List.<Valid>of() : chunk) {
                String[] k = earlier.get(key(batchId, v.ref()));
                if (k == null) {
                    fresh.add(v);
                } else if (!k[0].equals(v.hash())) {
                    out.put(v.index(), RecordResult.rejected(v.ref(), List.of(new Violation("ref", "was imported before with different data"))));
                } else {
                    out.put(v.index(), new RecordResult(v.ref(), "existing", vault.decrypt(k[1]).digits(), null));
                }
            }
            if (fresh.isEmpty()) {
                return out;
            }
            Drawn drawn = freeNumbers(c, fresh.size());
            IndividualNumber[] numbers = drawn.numbers();
            long[] residentIds = ids.next(Resident.class, Resident::new, fresh.size());
            long[] logIds = ids.next(AccessLogEntry.class, AccessLogEntry::new, fresh.size());
            // Microseconds: what the database keeps, so that every path stores the same instant.
            OffsetDateTime now = OffsetDateTime.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            if (isH2(c)) {
                insertBatched(c, batchId, clientId, role, fresh, drawn, residentIds, logIds, now);
            } else {
                copy(c, batchId, clientId, role, fresh, drawn, residentIds, logIds, now);
            }
            for (int i = 0; i < fresh.size(); i++) {
                out.put(fresh.get(i).index(), new RecordResult(fresh.get(i).ref(), "created", numbers[i].digits(), null));
            }
            return out;
        } catch (SQLException e) {
            throw new PersistenceException("batch chunk failed", e);
        }
    }

    private static final String RESIDENT_COLUMNS = "id, number_hmac, number_cipher, family_name, given_name, family_name_kana, "
            + "given_name_kana, date_of_birth, sex, postal_code, prefecture, municipality, address_line, status, version, created_at, "
            + "updated_at, registration_client, registration_key, registration_hash";

    /** H2: one JDBC batch insert each into resident and access_log. */
    private void insertBatched(Connection c, String batchId, String clientId, String role, List<Valid> fresh, Drawn drawn, long[] residentIds,
                               long[] logIds, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into " + schema + ".resident (" + RESIDENT_COLUMNS
                + ") values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,?,?)")) {
            for (int i = 0; i < fresh.size(); i++) {
                RegisterResidentRequest r = fresh.get(i).request();
                ps.setLong(1, residentIds[i]);
                ps.setString(2, drawn.hashes()[i]);
                ps.setString(3, vault.encrypt(drawn.numbers()[i]));
                ps.setString(4, r.familyName());
                ps.setString(5, r.givenName());
                ps.setString(6, r.familyNameKana());
                ps.setString(7, r.givenNameKana());
                ps.setObject(8, r.dateOfBirth());
                ps.setString(9, r.sex());
                ps.setString(10, r.address().postalDigits());
                ps.setString(11, r.address().prefecture());
                ps.setString(12, r.address().municipality());
                ps.setString(13, r.address().line());
                ps.setString(14, Resident.ACTIVE);
                ps.setObject(15, now);
                ps.setObject(16, now);
                ps.setString(17, clientId);
                ps.setString(18, key(batchId, fresh.get(i).ref()));
                ps.setString(19, fresh.get(i).hash());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        // Every write is in the resident's access log, in the same transaction as the write.
        try (PreparedStatement ps = c.prepareStatement("insert into " + schema + ".access_log (id, resident_id, actor, "
                + "actor_role, action, purpose, fields, at) values (?,?,?,?,?,?,?,?)")) {
            for (int i = 0; i < fresh.size(); i++) {
                ps.setLong(1, logIds[i]);
                ps.setLong(2, residentIds[i]);
                ps.setString(3, clientId);
                ps.setString(4, role);
                ps.setString(5, AccessLog.CREATE);
                ps.setString(6, BATCH_PURPOSE);
                ps.setString(7, ResidentService.ALL_FIELDS);
                ps.setObject(8, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * PostgreSQL: the residents in one {@code COPY} (text format, built in one buffer: the driver no longer encodes and
     * binds twenty parameters a row, and the server parses no statement per row), then their access-log rows in one
     * {@code INSERT ... SELECT} over two id arrays (the row's other values are the same for the whole chunk). The table's
     * constraints apply to COPY as to INSERT: a taken number or registration key fails the statement, and with it the
     * chunk's transaction, which the caller retries.
     */
    private void copy(Connection c, String batchId, String clientId, String role, List<Valid> fresh, Drawn drawn, long[] residentIds,
                      long[] logIds, OffsetDateTime now) throws SQLException {
        String at = now.toString();
        CopyRows b = new CopyRows(fresh.size() * 512);
        for (int i = 0; i < fresh.size(); i++) {
            Valid v = fresh.get(i);
            RegisterResidentRequest r = v.request();
            // Values that cannot hold a backslash, tab or line break (hex, Base64, digits, the date, the fixed words and
            // prefectures) go in as they are; the clerk's text and the tenant's id are escaped.
            b.plain(Long.toString(residentIds[i])).plain(drawn.hashes()[i]).plain(vault.encrypt(drawn.numbers()[i]))
                    .text(r.familyName()).text(r.givenName()).text(r.familyNameKana()).text(r.givenNameKana())
                    .plain(r.dateOfBirth().toString()).plain(r.sex()).plain(r.address().postalDigits()).plain(r.address().prefecture())
                    .text(r.address().municipality()).text(r.address().line())
                    .plain(Resident.ACTIVE).plain("0").plain(at).plain(at).text(clientId).text(key(batchId, v.ref())).plain(v.hash())
                    .endRow();
        }
        byte[] rows = b.bytes();
        int length = b.size();
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy " + schema + ".resident (" + RESIDENT_COLUMNS + ") from stdin");
        try {
            in.writeToCopy(rows, 0, length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into " + schema + ".access_log (id, resident_id, actor, actor_role, "
                + "action, purpose, fields, at) select l.id, l.resident_id, ?, ?, ?, ?, ?, ? from unnest(?::bigint[], ?::bigint[]) "
                + "l(id, resident_id)")) {
            ps.setString(1, clientId);
            ps.setString(2, role);
            ps.setString(3, AccessLog.CREATE);
            ps.setString(4, BATCH_PURPOSE);
            ps.setString(5, ResidentService.ALL_FIELDS);
            ps.setObject(6, now);
            ps.setArray(7, c.createArrayOf("bigint", boxed(logIds, fresh.size())));
            ps.setArray(8, c.createArrayOf("bigint", boxed(residentIds, fresh.size())));
            int rowsLogged = ps.executeUpdate();
            if (rowsLogged != fresh.size()) {
                throw new SQLException("access log rows written: " + rowsLogged + " of " + fresh.size());
            }
        }
    }

    private static Long[] boxed(long[] ids, int n) {
        Long[] out = new Long[n];
        for (int i = 0; i < n; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    /**
     * COPY rows in text format, written as UTF-8 bytes as they are built: most of a row is ASCII (ids, hex, Base64,
     * times), which a StringBuilder holding Japanese names would keep as UTF-16 and then encode again whole, a
     * quarter of the chunk's CPU. Each value ends with a tab; {@link #endRow} turns the last into the line break.
     */
    static final class CopyRows {
        private byte[] buf;
        private int size;

        CopyRows(int capacity) {
            buf = new byte[capacity];
        }

        /** A value that needs no escaping. */
        CopyRows plain(String value) {
            utf8(value);
            buf[size++] = '\t';
            return this;
        }

        /** A value that may hold COPY's special characters (escaped, see {@link #escape}); null is \N. */
        CopyRows text(String value) {
            boolean special = value == null;
            for (int i = 0; !special && i < value.length(); i++) {
                special = BatchService.special(value.charAt(i));
            }
            if (special) {
                StringBuilder escaped = new StringBuilder();
                escape(escaped, value);
                value = escaped.toString();
            }
            return plain(value);
        }

        CopyRows endRow() {
            buf[size - 1] = '\n';
            return this;
        }

        /** Encoded in place ({@link Utf8}): no copy of the rest of the String and no second array. */
        private void utf8(String value) {
            ensure(Utf8.MAX_BYTES_PER_CHAR * value.length() + 1);
            size = Utf8.encode(value, buf, size);
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        byte[] bytes() {
            return buf;
        }

        int size() {
            return size;
        }
    }

    /**
     * COPY's text format: backslash, tab, newline and carriage return escaped (validation already refuses control
     * characters in names and addresses; a backslash is allowed and must reach the row as written). A null is \N.
     */
    static void escape(StringBuilder b, String value) {
        if (value == null) {
            b.append("\\N");
            return;
        }
        int first = 0;
        while (first < value.length() && !special(value.charAt(first))) {
            first++;
        }
        if (first == value.length()) {
            b.append(value); // nearly every value has nothing to escape: one copy, not char by char
            return;
        }
        b.append(value, 0, first);
        for (int i = first; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(ch);
            }
        }
    }

    private static boolean special(char ch) {
        return ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r';
    }

    /**
     * Earlier registrations of this batch's records: request key to {request hash, number ciphertext}. H2 cannot use
     * the unique (registration_client, registration_key) index for an IN list on its second column and would compare every key of
     * the client with every listed key, so on H2 the batch's keys ("batchId/..." — a batch id has no '/') are read as
     * one range of the key, which H2 orders by code unit. PostgreSQL's collation need not order keys by code unit, and
     * its planner prefers a sequential scan for a list of 1,000 keys until the register holds some
     * hundred thousand rows (an import that grows quadratically); so there the keys are one array parameter, each
     * looked up through that index by a LATERAL subquery, a plan the planner cannot turn into a scan.
     */
    private Map<String, String[]> earlierKeys(Connection c, String clientId, String batchId, List<String> keys) throws SQLException {
        Map<String, String[]> earlier = new HashMap<>();
        boolean h2 = isH2(c);
        String sql = h2
                ? "select registration_key, registration_hash, number_cipher from " + schema + ".resident "
                + "where registration_client = ? and registration_key >= ? and registration_key < ?"
                : "select e.registration_key, e.registration_hash, e.number_cipher from unnest(?::varchar[]) q(request_key) "
                + "cross join lateral (select r.registration_key, r.registration_hash, r.number_cipher from " + schema
                + ".resident r where r.registration_client = ? and r.registration_key = q.request_key limit 1) e";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (h2) {
                ps.setString(1, clientId);
                ps.setString(2, batchId + "/");
                ps.setString(3, batchId + "0");
            } else {
                ps.setArray(1, c.createArrayOf("varchar", keys.toArray()));
                ps.setString(2, clientId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    earlier.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
        }
        return earlier;
    }

    /** Which of these number HMACs are registered already (see {@link #earlierKeys} for the PostgreSQL form). */
    private Set<String> taken(Connection c, java.util.Collection<String> hashes) throws SQLException {
        Set<String> taken = new HashSet<>();
        boolean h2 = isH2(c);
        try (PreparedStatement ps = c.prepareStatement(h2
                ? "select number_hmac from " + schema + ".resident where number_hmac in (" + placeholders(hashes.size()) + ")"
                : "select t.number_hmac from unnest(?::varchar[]) q(number_hmac) cross join lateral (select r.number_hmac from "
                + schema + ".resident r where r.number_hmac = q.number_hmac limit 1) t")) {
            if (h2) {
                int p = 1;
                for (String hash : hashes) {
                    ps.setString(p++, hash);
                }
            } else {
                ps.setArray(1, c.createArrayOf("varchar", hashes.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    taken.add(rs.getString(1));
                }
            }
        }
        return taken;
    }

    private static boolean isH2(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("h2");
    }

    /**
     * Draws {@code count} numbers that are distinct from each other and not yet registered, asking the database in
     * one query per round ({@link #taken}). A concurrent registration can still take one of them before our insert: the unique
     * constraint then fails the chunk, and it is retried.
     */
    private Drawn freeNumbers(Connection c, int count) throws SQLException {
        Drawn out = new Drawn(new IndividualNumber[count], new String[count]);
        Set<String> accepted = new HashSet<>();
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            open.add(i);
        }
        for (int round = 0; !open.isEmpty(); round++) {
            if (round == MAX_DRAW_ROUNDS) {
                throw new Problem(503, "number-space-congested", "Could not draw free individual numbers; retry later.");
            }
            Map<String, Integer> drawn = new HashMap<>();
            Map<Integer, IndividualNumber> candidates = new HashMap<>();
            for (int i : open) {
                IndividualNumber n = drawer.draw();
                String hash = vault.lookupHash(n);
                if (!accepted.contains(hash) && drawn.putIfAbsent(hash, i) == null) {
                    candidates.put(i, n); // a number drawn twice in this chunk leaves the second record open
                }
            }
            drawn.keySet().removeAll(taken(c, drawn.keySet())); // taken already: those records stay open
            for (Map.Entry<String, Integer> e : drawn.entrySet()) {
                out.numbers()[e.getValue()] = candidates.get(e.getValue());
                out.hashes()[e.getValue()] = e.getKey();
                accepted.add(e.getKey());
            }
            List<Integer> still = new ArrayList<>();
            for (int i : open) {
                if (out.numbers()[i] == null) {
                    still.add(i);
                }
            }
            open = still;
        }
        return out;
    }

    private record Drawn(IndividualNumber[] numbers, String[] hashes) {
    }

    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
            b.append(b.isEmpty() ? "" : " < ").append(t.getClass().getName());
            if (t instanceof SQLException sql) {
                b.append(" SQLState ").append(sql.getSQLState());
            }
        }
        return b.toString();
    }

    private static String placeholders(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }

    private static String key(String batchId, String ref) {
        return batchId + "/" + ref;
    }
}
