package org.myna.registry.resident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.myna.platform.hash.Sha256;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.auth.Caller;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

@ApplicationScoped
public class ResidentService {

    static final String ALL_FIELDS = "name,kana,dateOfBirth,sex,address,number";
    private static final int MAX_NUMBER_DRAWS = 8;

    private final NumberVault vault;
    private final AccessLog accessLog;
    private final Caller caller;
    private final ObjectMapper json;
    private final Event<ResidentChanged> changes;
    private final NumberDrawer drawer;

    public ResidentService(NumberVault vault, AccessLog accessLog, Caller caller, ObjectMapper json, Event<ResidentChanged> changes,
                           NumberDrawer drawer) {
        this.drawer = drawer;
        this.vault = vault;
        this.accessLog = accessLog;
        this.caller = caller;
        this.json = json;
        this.changes = changes;
    }

    public record Registration(ResidentResponse resident, boolean created) {
    }

    /**
     * Registers a resident under the caller's request key. A number collision (the unique constraint on the
     * number's HMAC) draws a new number; a concurrent request with the same key yields the first one's result.
     */
    public Registration register(RegisterResidentRequest request, String requestKey) {
        String clientId = caller.id();
        String hash = requestHash(request);
        for (int draw = 0; draw < MAX_NUMBER_DRAWS; draw++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> registerOnce(request, clientId, requestKey, hash));
            } catch (RuntimeException e) {
                // By constraint name: H2's message quotes the whole insert, whose column list names number_hmac even
                // when the violated constraint is the registration key's.
                if (Constraints.violated(e, "uq_resident_number_hmac")) {
                    continue;
                }
                // Another request with this key won the race: answer with its result.
                Registration winner = QuarkusTransaction.requiringNew().call(() -> existing(clientId, requestKey, hash));
                if (winner != null) {
                    return winner;
                }
                throw e;
            }
        }
        throw new Problem(503, "number-space-congested", "Could not draw a free individual number; retry later.");
    }

    private Registration registerOnce(RegisterResidentRequest request, String clientId, String requestKey, String hash) {
        Registration earlier = existing(clientId, requestKey, hash);
        if (earlier != null) {
            return earlier;
        }
        IndividualNumber number = drawer.draw();
        Resident resident = newResident(request, number);
        resident.registrationClient = clientId;
        resident.registrationKey = requestKey;
        resident.registrationHash = hash;
        resident.persist();
        resident.flush();
        accessLog.record(resident.id, AccessLog.CREATE, "resident-registration", ALL_FIELDS);
        return new Registration(ResidentResponse.of(resident, number), true);
    }

    /** The earlier result for this key, null when there is none, a 409 when the body differs. */
    Registration existing(String clientId, String requestKey, String hash) {
        Resident resident = Resident.<Resident>find("registrationClient = ?1 and registrationKey = ?2", clientId, requestKey)
                .firstResult();
        if (resident == null) {
            return null;
        }
        if (!resident.registrationHash.equals(hash)) {
            throw Problem.conflict("idempotency-key-reused", "This Idempotency-Key was used with a different request body.");
        }
        return new Registration(ResidentResponse.of(resident, vaultNumber(resident)), false);
    }

    IndividualNumber vaultNumber(Resident resident) {
        return vault.decrypt(resident.numberCipher);
    }

    Resident newResident(RegisterResidentRequest request, IndividualNumber number) {
        Resident r = new Resident();
        r.numberHmac = vault.lookupHash(number);
        r.numberCipher = vault.encrypt(number);
        r.familyName = request.familyName();
        r.givenName = request.givenName();
        r.familyNameKana = request.familyNameKana();
        r.givenNameKana = request.givenNameKana();
        r.dateOfBirth = request.dateOfBirth();
        r.sex = request.sex();
        r.postalCode = request.address().postalDigits();
        r.prefecture = request.address().prefecture();
        r.municipality = request.address().municipality();
        r.addressLine = request.address().line();
        r.status = Resident.ACTIVE;
        r.createdAt = OffsetDateTime.now();
        r.updatedAt = r.createdAt;
        return r;
    }

    /** Finds a resident by number or answers 404 without echoing the number. */
    public Resident require(IndividualNumber number, LockModeType lock) {
        Resident resident = Resident.find("numberHmac", vault.lookupHash(number)).withLock(lock).firstResult();
        if (resident == null) {
            throw notFound();
        }
        return resident;
    }

    public static Problem notFound() {
        return Problem.notFound("resident-not-found", "No resident is registered under this number.");
    }

    /** The residents behind these numbers, in one query through the keyed-hash index; unknown numbers are absent. */
    public java.util.Map<IndividualNumber, Resident> findAll(java.util.Collection<IndividualNumber> numbers) {
        java.util.Map<String, IndividualNumber> byHash = new java.util.HashMap<>();
        numbers.forEach(n -> byHash.put(vault.lookupHash(n), n));
        java.util.Map<IndividualNumber, Resident> found = new java.util.HashMap<>();
        if (!byHash.isEmpty()) {
            Resident.<Resident>list("numberHmac in ?1", byHash.keySet()).forEach(r -> found.put(byHash.get(r.numberHmac), r));
        }
        return found;
    }

    public java.util.Optional<Resident> find(IndividualNumber number) {
        return Resident.find("numberHmac", vault.lookupHash(number)).firstResultOptional();
    }

    @Transactional
    public ResidentResponse read(IndividualNumber number, String purpose) {
        Resident resident = require(number, LockModeType.NONE);
        accessLog.record(resident.id, AccessLog.READ, purpose, ALL_FIELDS);
        return ResidentResponse.of(resident, number);
    }

    @Transactional
    public ResidentResponse update(IndividualNumber number, UpdateResidentRequest request) {
        if (!request.renames() && !request.moves()) {
            throw Problem.badRequest("empty-update", "Give a new name, new kana or a new address.");
        }
        Resident r = require(number, LockModeType.PESSIMISTIC_WRITE);
        if (!r.isActive()) {
            throw Problem.conflict("resident-deceased", "The register of a deceased resident cannot be changed.");
        }
        OffsetDateTime now = OffsetDateTime.now();
        if (request.renames()) {
            history(r, "rename", Map.of("familyName", r.familyName, "givenName", r.givenName,
                    "familyNameKana", r.familyNameKana, "givenNameKana", r.givenNameKana), now);
            r.familyName = orElse(request.familyName(), r.familyName);
            r.givenName = orElse(request.givenName(), r.givenName);
            r.familyNameKana = orElse(request.familyNameKana(), r.familyNameKana);
            r.givenNameKana = orElse(request.givenNameKana(), r.givenNameKana);
        }
        if (request.moves()) {
            history(r, "move", Map.of("postalCode", r.postalCode, "prefecture", r.prefecture,
                    "municipality", r.municipality, "line", r.addressLine), now);
            r.postalCode = request.address().postalDigits();
            r.prefecture = request.address().prefecture();
            r.municipality = request.address().municipality();
            r.addressLine = request.address().line();
        }
        r.updatedAt = now;
        accessLog.record(r.id, AccessLog.UPDATE, request.moves() ? "change-of-address" : "change-of-name",
                (request.renames() ? "name,kana" : "") + (request.renames() && request.moves() ? "," : "") + (request.moves() ? "address" : ""));
        if (request.renames()) {
            changes.fire(new ResidentChanged(r.id, ResidentChanged.Kind.RENAMED));
        }
        if (request.moves()) {
            changes.fire(new ResidentChanged(r.id, ResidentChanged.Kind.MOVED));
        }
        return ResidentResponse.of(r, number);
    }

    @Transactional
    public ResidentResponse recordDeath(IndividualNumber number, LocalDate dateOfDeath) {
        Resident r = require(number, LockModeType.PESSIMISTIC_WRITE);
        if (!r.isActive()) {
            throw Problem.conflict("resident-deceased", "A death is already recorded for this resident.");
        }
        if (dateOfDeath.isBefore(r.dateOfBirth)) {
            throw Problem.invalidField("dateOfDeath", "date-before-birth", "The date of death is before the date of birth.");
        }
        OffsetDateTime now = OffsetDateTime.now();
        history(r, "death", Map.of("status", r.status), now);
        r.status = Resident.DECEASED;
        r.deceasedOn = dateOfDeath;
        r.updatedAt = now;
        accessLog.record(r.id, AccessLog.UPDATE, "record-of-death", "status");
        changes.fire(new ResidentChanged(r.id, ResidentChanged.Kind.DECEASED));
        return ResidentResponse.of(r, number);
    }

    private void history(Resident r, String kind, Map<String, String> before, OffsetDateTime at) {
        ResidentChange change = new ResidentChange();
        change.residentId = r.id;
        change.kind = kind;
        change.beforeState = toJson(new LinkedHashMap<>(before));
        change.changedBy = caller.id();
        change.changedAt = at;
        change.persist();
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }

    String requestHash(Object request) {
        return Sha256.hex(toJson(request));
    }

    /**
     * The same hash for a registration, its JSON written here rather than by the data binder (a tenth of an import's
     * CPU): the text is the binder's, character for character (ResidentHashTest compares them), because stored
     * hashes decide whether a retried record is "existing" or "imported before with different data". A value with a
     * character below U+0020, which the binder escapes in several ways, goes to the binder.
     */
    String requestHash(RegisterResidentRequest r) {
        Address a = r.address();
        if (a == null || r.dateOfBirth() == null) {
            return requestHash((Object) r);
        }
        HashJson b = new HashJson();
        boolean plain = b.member('{', "familyName", r.familyName()) && b.member(',', "givenName", r.givenName())
                && b.member(',', "familyNameKana", r.familyNameKana()) && b.member(',', "givenNameKana", r.givenNameKana())
                && b.member(',', "dateOfBirth", r.dateOfBirth().toString()) && b.member(',', "sex", r.sex())
                && b.ascii(",\"address\":").member('{', "postalCode", a.postalCode()) && b.member(',', "prefecture", a.prefecture())
                && b.member(',', "municipality", a.municipality()) && b.member(',', "line", a.line());
        return plain ? b.ascii("}}").sha256() : requestHash((Object) r);
    }

    /**
     * The hash's JSON written as UTF-8 bytes as it is built ({@link Utf8}) and digested from them: the same bytes as the
     * String's {@code getBytes(UTF_8)}, whose copy and char-by-char encoding of a Japanese (UTF-16) String were most
     * of the hash's time.
     */
    private static final class HashJson {
        private static final ThreadLocal<java.security.MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
            try {
                return java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        });
        private byte[] buf = new byte[512];
        private int size;

        HashJson ascii(String text) {
            ensure(text.length());
            for (int i = 0; i < text.length(); i++) {
                buf[size++] = (byte) text.charAt(i);
            }
            return this;
        }

        /** {@code ,"name":"value"} with " and \ escaped as the binder does; false for null or a control character. */
        boolean member(char before, String name, String value) {
            if (value == null) {
                return false;
            }
            boolean escape = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20) {
                    return false;
                }
                escape |= c == '"' || c == '\\';
            }
            if (escape) {
                StringBuilder escaped = new StringBuilder(value.length() + 8);
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c == '"' || c == '\\') {
                        escaped.append('\\');
                    }
                    escaped.append(c);
                }
                value = escaped.toString();
            }
            ensure(name.length() + 5);
            buf[size++] = (byte) before;
            buf[size++] = '"';
            ascii(name).ascii("\":\"");
            ensure(Utf8.MAX_BYTES_PER_CHAR * value.length() + 1);
            size = Utf8.encode(value, buf, size);
            buf[size++] = '"';
            return true;
        }

        String sha256() {
            java.security.MessageDigest digest = SHA256.get();
            digest.update(buf, 0, size);
            return java.util.HexFormat.of().formatHex(digest.digest()); // digest() resets it for the next use
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
