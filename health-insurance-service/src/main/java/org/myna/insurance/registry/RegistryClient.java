package org.myna.insurance.registry;

import org.myna.platform.cardstanding.CardStandingFallback;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.myna.platform.problem.Problem;
import org.myna.insurance.registry.RegistryContract.Address;
import org.myna.insurance.registry.RegistryContract.CaAnswer;
import org.myna.insurance.registry.RegistryContract.HolderLinkAnswer;
import org.myna.insurance.registry.RegistryContract.HolderLinkQuery;
import org.myna.insurance.registry.RegistryContract.Link;
import org.myna.insurance.registry.RegistryContract.LinkBatch;
import org.myna.insurance.registry.RegistryContract.LinkBatchAnswer;
import org.myna.insurance.registry.RegistryContract.LinkOutcome;
import org.myna.insurance.registry.RegistryContract.LinkProblem;
import org.myna.insurance.registry.RegistryContract.LinkVerification;
import org.myna.insurance.registry.RegistryContract.Linked;
import org.myna.insurance.registry.RegistryContract.StandingAnswer;
import org.myna.insurance.registry.RegistryContract.StandingQuery;
import org.myna.insurance.registry.RegistryContract.VerificationResult;
import org.myna.insurance.registry.RegistryContract.Verifications;
import org.myna.insurance.registry.RegistryContract.VerificationsAnswer;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What this service asks the registry, in its own small types. Any failure to get an answer becomes a 503
 * {@code registry-unavailable}: a clinic must hear "cannot check now", never "not insured".
 */
@ApplicationScoped
public class RegistryClient implements CardStandingFallback {

    // Tolerant reader: a field the other service adds later must not break this one.
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    public record HolderLink(String status, String linkCode) {
    }

    /** outcome: linked, attributes-mismatch, no-match or rejected (the registry refused the request itself). */
    // Tolerant reader: a field the other service adds later must not break this one.
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    public record LinkAnswer(String outcome, String linkCode, List<String> mismatched, String code) {
    }

    // Tolerant reader: a field the other service adds later must not break this one.
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    public record Verification(String status, List<String> mismatched) {
    }

    /** The attributes an insurer holds; {@link #toString()} never shows the number. */
    public record LinkRequest(String number, String familyName, String givenName, String familyNameKana,
                              String givenNameKana, LocalDate dateOfBirth, String sex, String postalCode,
                              String prefecture, String municipality, String line) {
        @Override
        public String toString() {
            return "LinkRequest[number=************]";
        }
    }

    private final RegistryCalls calls;
    private final RegistryBulkCalls bulk;
    private final ObjectMapper json;

    RegistryClient(RegistryCalls calls, RegistryBulkCalls bulk, ObjectMapper json) {
        this.calls = calls;
        this.bulk = bulk;
        this.json = json;
    }

    public String caPem() {
        String pem = read(answer(calls::ca), CaAnswer.class).certificate();
        if (pem == null) {
            throw unavailable();
        }
        return pem;
    }

    /**
     * DESIGN §6.7: when this service's copy of the card events is stale, the registry judges a resident token's card
     * itself. Any failure propagates, and the platform refuses the token with 503: never honoured on a guess.
     */
    @Override
    public String standing(String linkCode, String cardRef) {
        String body = write(new StandingQuery(linkCode, cardRef));
        String standing = read(answer(() -> calls.cardStanding(body)), StandingAnswer.class).standing();
        if (standing == null) {
            throw unavailable();
        }
        return standing;
    }

    public HolderLink holderLink(String certificatePem) {
        String body = write(new HolderLinkQuery(certificatePem));
        HolderLinkAnswer answer = read(answer(() -> calls.holderLink(body)), HolderLinkAnswer.class);
        return new HolderLink(answer.status() == null ? "unknown" : answer.status(), answer.linkCode());
    }

    public LinkAnswer link(LinkRequest request) {
        try {
            String body = write(linkBody(request));
            Linked linked = read(answer(() -> calls.link(body)), Linked.class);
            return new LinkAnswer("linked", linked.linkCode() == null ? "" : linked.linkCode(), List.of(), null);
        } catch (RegistryHttpException e) {
            LinkProblem problem = readQuietly(e.body);
            String code = problem.code() == null ? "" : problem.code();
            if (e.status == 422 && "attributes-mismatch".equals(code)) {
                return new LinkAnswer("attributes-mismatch", null, strings(problem.mismatched()), code);
            }
            if (e.status == 422 && "no-match".equals(code)) {
                return new LinkAnswer("no-match", null, List.of(), code);
            }
            return new LinkAnswer("rejected", null, List.of(), code.isEmpty() ? "registry-rejected" : code);
        }
    }

    /**
     * Links a page of members in one call (bulk enrolment); one answer per request, in order, with the same outcomes
     * as {@link #link}. The registry refusing the page itself is a 503 here: the page was checked before it was sent.
     */
    public List<LinkAnswer> linkAll(List<LinkRequest> requests) {
        String body = write(new LinkBatch(requests.stream().map(RegistryClient::linkBody).toList()));
        try {
            List<LinkOutcome> results = read(answer(() -> bulk.linkAll(body)), LinkBatchAnswer.class).results();
            if (results == null || results.size() != requests.size()) {
                throw unavailable();
            }
            List<LinkAnswer> out = new ArrayList<>(requests.size());
            for (LinkOutcome node : results) {
                String outcome = node == null || node.outcome() == null ? "" : node.outcome();
                out.add(switch (outcome) {
                    case "linked" -> new LinkAnswer("linked", node.linkCode() == null ? "" : node.linkCode(), List.of(), null);
                    case "attributes-mismatch" -> new LinkAnswer(outcome, null, strings(node.mismatched()), outcome);
                    case "no-match" -> new LinkAnswer(outcome, null, List.of(), outcome);
                    default -> new LinkAnswer("rejected", null, List.of(), outcome.isEmpty() ? "registry-rejected" : outcome);
                });
            }
            return out;
        } catch (RegistryHttpException e) {
            throw unavailable();
        }
    }

    private static Link linkBody(LinkRequest request) {
        return new Link(request.number(), request.familyName(), request.givenName(), request.familyNameKana(),
                request.givenNameKana(), request.dateOfBirth().toString(), request.sex(),
                new Address(request.postalCode(), request.prefecture(), request.municipality(), request.line()));
    }

    /** One link to re-check: the code the registry gave and the attributes this insurer holds now. */
    public record LinkCheck(String linkCode, String familyName, String givenName, String familyNameKana,
                            String givenNameKana, LocalDate dateOfBirth, String sex) {
    }

    /** Re-checks a page of links in one call; one answer per link, in order. */
    public List<Verification> verifyAll(List<LinkCheck> checks) {
        String body = write(new Verifications(checks.stream().map(c -> new LinkVerification(c.linkCode(), c.familyName(),
                c.givenName(), c.familyNameKana(), c.givenNameKana(), c.dateOfBirth().toString(), c.sex())).toList()));
        try {
            List<VerificationResult> results = read(answer(() -> bulk.verifyAll(body)), VerificationsAnswer.class).results();
            if (results == null || results.size() != checks.size()) {
                throw unavailable();
            }
            List<Verification> out = new ArrayList<>(checks.size());
            for (VerificationResult node : results) {
                out.add(new Verification(node == null || node.status() == null ? "unknown" : node.status(),
                        strings(node == null ? null : node.mismatched())));
            }
            return out;
        } catch (RegistryHttpException e) {
            throw unavailable();
        }
    }

    private String answer(Supplier<String> call) {
        try {
            return call.get();
        } catch (RegistryUnavailableException | FaultToleranceException e) {
            throw unavailable();
        }
    }

    private <T> T read(String body, Class<T> type) {
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw unavailable();
            }
            return value;
        } catch (Problem e) {
            throw e;
        } catch (Exception e) {
            throw unavailable();
        }
    }

    private LinkProblem readQuietly(String body) {
        try {
            LinkProblem problem = json.readValue(body == null || body.isEmpty() ? "{}" : body, LinkProblem.class);
            return problem == null ? new LinkProblem(null, null) : problem;
        } catch (Exception e) {
            return new LinkProblem(null, null);
        }
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(List<String> values) {
        return values == null ? List.of() : values.stream().map(v -> v == null ? "null" : v).toList();
    }

    static Problem unavailable() {
        return new Problem(503, "registry-unavailable",
                "The registry cannot be reached now; eligibility is unknown, not denied. Retry or use a fallback.");
    }
}
