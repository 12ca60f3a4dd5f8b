package org.myna.insurance.registry;

import org.myna.platform.cardstanding.CardStandingFallback;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.myna.platform.problem.Problem;

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
        JsonNode node = read(answer(calls::ca));
        String pem = node.path("certificate").asText(null);
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
        ObjectNode body = json.createObjectNode().put("linkCode", linkCode).put("cardRef", cardRef);
        String standing = read(answer(() -> calls.cardStanding(body.toString()))).path("standing").asText(null);
        if (standing == null) {
            throw unavailable();
        }
        return standing;
    }

    public HolderLink holderLink(String certificatePem) {
        ObjectNode body = json.createObjectNode().put("certificate", certificatePem);
        JsonNode node = read(answer(() -> calls.holderLink(body.toString())));
        return new HolderLink(node.path("status").asText("unknown"), node.path("linkCode").asText(null));
    }

    public LinkAnswer link(LinkRequest request) {
        try {
            JsonNode node = read(answer(() -> calls.link(linkBody(request).toString())));
            return new LinkAnswer("linked", node.path("linkCode").asText(), List.of(), null);
        } catch (RegistryHttpException e) {
            JsonNode problem = readQuietly(e.body);
            String code = problem.path("code").asText("");
            if (e.status == 422 && "attributes-mismatch".equals(code)) {
                return new LinkAnswer("attributes-mismatch", null, strings(problem.path("mismatched")), code);
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
        ObjectNode body = json.createObjectNode();
        var links = body.putArray("links");
        requests.forEach(r -> links.add(linkBody(r)));
        try {
            JsonNode results = read(answer(() -> bulk.linkAll(body.toString()))).path("results");
            if (!results.isArray() || results.size() != requests.size()) {
                throw unavailable();
            }
            List<LinkAnswer> out = new ArrayList<>(requests.size());
            for (JsonNode node : results) {
                String outcome = node.path("outcome").asText("");
                out.add(switch (outcome) {
                    case "linked" -> new LinkAnswer("linked", node.path("linkCode").asText(), List.of(), null);
                    case "attributes-mismatch" -> new LinkAnswer(outcome, null, strings(node.path("mismatched")), outcome);
                    case "no-match" -> new LinkAnswer(outcome, null, List.of(), outcome);
                    default -> new LinkAnswer("rejected", null, List.of(), outcome.isEmpty() ? "registry-rejected" : outcome);
                });
            }
            return out;
        } catch (RegistryHttpException e) {
            throw unavailable();
        }
    }

    private ObjectNode linkBody(LinkRequest request) {
        ObjectNode body = json.createObjectNode()
                .put("number", request.number())
                .put("familyName", request.familyName())
                .put("givenName", request.givenName())
                .put("familyNameKana", request.familyNameKana())
                .put("givenNameKana", request.givenNameKana())
                .put("dateOfBirth", request.dateOfBirth().toString())
                .put("sex", request.sex());
        body.putObject("address")
                .put("postalCode", request.postalCode())
                .put("prefecture", request.prefecture())
                .put("municipality", request.municipality())
                .put("line", request.line());
        return body;
    }

    /** One link to re-check: the code the registry gave and the attributes this insurer holds now. */
    public record LinkCheck(String linkCode, String familyName, String givenName, String familyNameKana,
                            String givenNameKana, LocalDate dateOfBirth, String sex) {
    }

    /** Re-checks a page of links in one call; one answer per link, in order. */
    public List<Verification> verifyAll(List<LinkCheck> checks) {
        ObjectNode body = json.createObjectNode();
        var links = body.putArray("links");
        for (LinkCheck c : checks) {
            links.addObject()
                    .put("linkCode", c.linkCode())
                    .put("familyName", c.familyName())
                    .put("givenName", c.givenName())
                    .put("familyNameKana", c.familyNameKana())
                    .put("givenNameKana", c.givenNameKana())
                    .put("dateOfBirth", c.dateOfBirth().toString())
                    .put("sex", c.sex());
        }
        try {
            JsonNode results = read(answer(() -> bulk.verifyAll(body.toString()))).path("results");
            if (!results.isArray() || results.size() != checks.size()) {
                throw unavailable();
            }
            List<Verification> out = new ArrayList<>(checks.size());
            for (JsonNode node : results) {
                out.add(new Verification(node.path("status").asText("unknown"), strings(node.path("mismatched"))));
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

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (Exception e) {
            throw unavailable();
        }
    }

    private JsonNode readQuietly(String body) {
        try {
            return json.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Problem unavailable() {
        return new Problem(503, "registry-unavailable",
                "The registry cannot be reached now; eligibility is unknown, not denied. Retry or use a fallback.");
    }
}
