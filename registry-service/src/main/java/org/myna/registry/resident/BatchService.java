package org.myna.registry.resident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.auth.Caller;
import org.myna.registry.common.Problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A municipality's bulk import. Each record is validated on its own; valid records are written in chunks, each
 * chunk one transaction. Record keys are "batchId/ref", so a retried batch reports what it created before.
 */
@ApplicationScoped
public class BatchService {

    static final int CHUNK = 500;

    private final ResidentService residents;
    private final AccessLog accessLog;
    private final Caller caller;
    private final Validator validator;
    private final ObjectMapper json;
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    public BatchService(ResidentService residents, AccessLog accessLog, Caller caller, Validator validator, ObjectMapper json) {
        this.residents = residents;
        this.accessLog = accessLog;
        this.caller = caller;
        this.validator = validator;
        this.json = json;
    }

    public record BatchRequest(String batchId, List<JsonNode> records) {
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
        for (int from = 0; from < valid.size(); from += CHUNK) {
            List<Valid> chunk = valid.subList(from, Math.min(valid.size(), from + CHUNK));
            try {
                QuarkusTransaction.requiringNew().run(() -> writeChunk(batch.batchId(), clientId, chunk, results));
            } catch (RuntimeException e) {
                // A number collision or a concurrent retry of the same batch: settle record by record.
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
        }
    }

    private void writeChunk(String batchId, String clientId, List<Valid> chunk, RecordResult[] results) {
        Map<String, RegistrationKey> earlier = new HashMap<>();
        List<String> keys = chunk.stream().map(v -> key(batchId, v.ref())).toList();
        RegistrationKey.<RegistrationKey>list("key.clientId = ?1 and key.requestKey in ?2", clientId, keys)
                .forEach(k -> earlier.put(k.key.requestKey(), k));
        List<Resident> created = new ArrayList<>();
        List<IndividualNumber> numbers = new ArrayList<>();
        List<Valid> fresh = new ArrayList<>();
        for (Valid v : chunk) {
            RegistrationKey k = earlier.get(key(batchId, v.ref()));
            if (k != null) {
                if (!k.requestHash.equals(v.hash())) {
                    results[v.index()] = RecordResult.rejected(v.ref(), List.of(new Violation("ref",
                            "was imported before with different data")));
                } else {
                    Resident r = Resident.findById(k.residentId);
                    results[v.index()] = new RecordResult(v.ref(), "existing", residents.vaultNumber(r).digits(), null);
                }
                continue;
            }
            IndividualNumber number = IndividualNumber.random(random);
            Resident r = residents.newResident(v.request(), number);
            r.persist();
            created.add(r);
            numbers.add(number);
            fresh.add(v);
        }
        Resident.flush();
        for (int i = 0; i < fresh.size(); i++) {
            Valid v = fresh.get(i);
            Resident r = created.get(i);
            RegistrationKey k = new RegistrationKey();
            k.key = new RegistrationKey.Key(clientId, key(batchId, v.ref()));
            k.requestHash = v.hash();
            k.residentId = r.id;
            k.createdAt = r.createdAt;
            k.persist();
            accessLog.record(r.id, AccessLog.CREATE, "resident-registration:batch", ResidentService.ALL_FIELDS);
            results[v.index()] = new RecordResult(v.ref(), "created", numbers.get(i).digits(), null);
        }
        Resident.flush();
    }

    private static String key(String batchId, String ref) {
        return batchId + "/" + ref;
    }
}
