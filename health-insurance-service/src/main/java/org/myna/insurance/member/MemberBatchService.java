package org.myna.insurance.member;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.myna.insurance.insurer.Insurer;
import org.myna.insurance.insurer.InsurerService;
import org.myna.insurance.registry.RegistryClient;
import org.myna.platform.accesslog.AccessLogOutbox;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An insurer's bulk enrolment: up to 500 members per call, each judged on its own. A bad record is reported and
 * stops nothing; the members with a number are linked through one registry call for the page, under the same rules
 * as single links; everything accepted is written in one transaction. A retried page adds nobody twice: a member whose
 * symbol, number and branch this insurer already holds is answered {@code exists} with its id, unchanged.
 */
@ApplicationScoped
public class MemberBatchService {

    public static final int MAX_MEMBERS = 500;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Violation(String field, String message) {
    }

    /** status: enrolled, exists or rejected; linkStatus as on the member; code and violations only when rejected. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MemberResult(int index, String status, Long memberId, String linkStatus, List<String> mismatched,
                               String code, List<Violation> violations) {

        static MemberResult rejected(int index, String code, List<Violation> violations) {
            return new MemberResult(index, "rejected", null, null, null, code, violations);
        }

        static MemberResult of(int index, String status, Member m) {
            return new MemberResult(index, status, m.id, m.linkStatus, MemberResponse.groups(m.linkMismatched), null, null);
        }
    }

    public record BatchResult(int enrolled, int existing, int rejected, List<MemberResult> results) {
    }

    private record Accepted(int index, EnrolMemberRequest request) {
        String card() {
            return MemberBatchService.card(request.symbol(), request.number(), request.branch());
        }
    }

    /** A member card's key within one insurer, as uq_member_card has it. */
    private static String card(String symbol, String number, String branch) {
        return symbol + '\u0000' + number + '\u0000' + branch;
    }

    private final InsurerService insurers;
    private final RegistryClient registry;
    private final Validator validator;
    private final ObjectMapper json;
    private final AccessLogOutbox accessLog;

    public MemberBatchService(InsurerService insurers, RegistryClient registry, Validator validator, ObjectMapper json,
                              AccessLogOutbox accessLog) {
        this.accessLog = accessLog;
        this.insurers = insurers;
        this.registry = registry;
        this.validator = validator;
        this.json = json;
    }

    public BatchResult enrolAll(String insurerNumber, List<JsonNode> records, String clientId) {
        if (records == null || records.isEmpty() || records.size() > MAX_MEMBERS) {
            throw Problem.invalidField("members", "invalid-batch-size", "members must hold 1 to " + MAX_MEMBERS + " members.");
        }
        MemberResult[] results = new MemberResult[records.size()];
        List<Accepted> accepted = new ArrayList<>();
        Set<String> cards = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            Accepted a = accept(i, records.get(i), results);
            if (a == null) {
                continue;
            }
            if (!cards.add(a.card())) {
                results[i] = MemberResult.rejected(i, "duplicate-in-batch",
                        List.of(new Violation("symbol", "this symbol, number and branch appear earlier in this batch")));
                continue;
            }
            accepted.add(a);
        }
        // Members already held are answered before the registry is asked: a retried page links nobody twice, and
        // the residents' access logs do not fill with repeated link requests.
        List<Accepted> toWrite = QuarkusTransaction.requiringNew().call(() ->
                notHeld(insurers.requireOwn(insurerNumber, clientId), accepted, results));
        // Ask the registry outside any transaction: a slow registry must not hold a connection here.
        List<Accepted> toLink = toWrite.stream().filter(a -> a.request().individualNumber() != null).toList();
        Map<Integer, RegistryClient.LinkAnswer> answers = new HashMap<>();
        if (!toLink.isEmpty()) {
            List<RegistryClient.LinkAnswer> answered = registry.linkAll(toLink.stream().map(a -> {
                EnrolMemberRequest r = a.request();
                return MemberService.linkRequest(r.individualNumber(), r.address(), r.familyName(), r.givenName(),
                        r.familyNameKana(), r.givenNameKana(), r.dateOfBirth(), r.sex());
            }).toList());
            for (int k = 0; k < toLink.size(); k++) {
                answers.put(toLink.get(k).index(), answered.get(k));
            }
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> write(insurerNumber, clientId, toWrite, answers, results));
        } catch (RuntimeException e) {
            // The same page retried while the first is still writing: one commits, the other rolls back on the card's
            // unique key and, written again, finds those members and answers them as existing.
            if (!Constraints.violated(e, "uq_member_card")) {
                throw e;
            }
            QuarkusTransaction.requiringNew().run(() -> write(insurerNumber, clientId, toWrite, answers, results));
        }
        List<MemberResult> all = List.of(results);
        return new BatchResult(count(all, "enrolled"), count(all, "exists"), count(all, "rejected"), all);
    }

    private Accepted accept(int i, JsonNode node, MemberResult[] results) {
        EnrolMemberRequest request;
        try {
            request = node == null || !node.isObject() ? null : json.treeToValue(node, EnrolMemberRequest.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            request = null;
        }
        if (request == null) {
            results[i] = MemberResult.rejected(i, "invalid-member", List.of(new Violation("member", "is not a valid member record")));
            return null;
        }
        Set<ConstraintViolation<EnrolMemberRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            results[i] = MemberResult.rejected(i, "invalid-member", violations.stream()
                    .map(v -> new Violation(v.getPropertyPath().toString(), v.getMessage()))
                    .sorted(Comparator.comparing(Violation::field)).toList());
            return null;
        }
        try {
            MemberService.validate(request);
        } catch (Problem p) {
            results[i] = MemberResult.rejected(i, p.code(), violationsOf(p));
            return null;
        }
        return new Accepted(i, request);
    }

    private void write(String insurerNumber, String clientId, List<Accepted> accepted,
                       Map<Integer, RegistryClient.LinkAnswer> answers, MemberResult[] results) {
        Insurer insurer = insurers.requireOwn(insurerNumber, clientId);
        // Checked again in this transaction: a concurrent copy of the page may have written them meanwhile.
        for (Accepted a : notHeld(insurer, accepted, results)) {
            RegistryClient.LinkAnswer answer = answers.get(a.index());
            if (answer != null && "rejected".equals(answer.outcome())) {
                // As for a single enrolment: the registry refused the request itself, so the member is not stored.
                results[a.index()] = MemberResult.rejected(a.index(), "registry-rejected",
                        List.of(new Violation("individualNumber", "the registry refused it: " + answer.code())));
                continue;
            }
            Member m = MemberService.newMember(insurer, a.request());
            if (answer != null) {
                MemberService.record(m, answer, clientId, accessLog);
            } else {
                m.persist();
            }
            results[a.index()] = MemberResult.of(a.index(), "enrolled", m);
        }
        Member.flush();
    }

    /**
     * Answers the records whose card this insurer already holds as {@code exists} (one query by member number) and
     * returns the others.
     */
    private static List<Accepted> notHeld(Insurer insurer, List<Accepted> accepted, MemberResult[] results) {
        if (accepted.isEmpty()) {
            return accepted;
        }
        Map<String, Member> held = new HashMap<>();
        Member.<Member>list("insurer = ?1 and number in ?2", insurer,
                        accepted.stream().map(a -> a.request().number()).distinct().toList())
                .forEach(m -> held.put(card(m.symbol, m.number, m.branch), m));
        List<Accepted> rest = new ArrayList<>(accepted.size());
        for (Accepted a : accepted) {
            Member found = held.get(a.card());
            if (found != null) {
                results[a.index()] = MemberResult.of(a.index(), "exists", found);
            } else {
                rest.add(a);
            }
        }
        return rest;
    }

    @SuppressWarnings("unchecked")
    private static List<Violation> violationsOf(Problem p) {
        Object listed = p.extra().get("violations");
        if (!(listed instanceof List<?> list)) {
            return null;
        }
        return ((List<Map<String, Object>>) list).stream()
                .map(v -> new Violation(String.valueOf(v.get("field")), String.valueOf(v.get("message")))).toList();
    }

    private static int count(List<MemberResult> results, String status) {
        return (int) results.stream().filter(r -> status.equals(r.status())).count();
    }
}
