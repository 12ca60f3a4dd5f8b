package org.myna.platform.openapi;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Makes each service's OpenAPI document say what its JSON API answers (DESIGN §2): every 4xx/5xx of an operation is
 * {@code application/problem+json} with the {@code Problem} schema and its stable codes listed in {@code x-problem-codes};
 * the refusals every operation of its shape can give (any: 406; a body: 400, 413, 415; a path parameter: 404; a bearer
 * token: 401, 403; an Idempotency-Key: 400, 409; marked rate-limited: 429) are added; a public operation says {@code security: []}; a property that is not required may be null.
 * Operation-specific refusals are declared where they are thrown, on the resource method:
 * {@code @APIResponse(responseCode = "409", description = "number-taken, card-already-issued")} — a description made
 * only of codes becomes the code list. Registered by {@code mp.openapi.filter} in each service.
 */
public class ProblemResponsesFilter implements OASFilter {

    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String CODES = "x-problem-codes";
    /**
     * Marks a @RateLimited operation ({@code @Extension(name = "x-rate-limited", value = "true")}): it may answer 429.
     * An extension, not an @APIResponse, because a declared response would replace the generated success answer.
     */
    public static final String RATE_LIMITED = "x-rate-limited";
    /**
     * The refusals an operation's own logic gives, where it is declared:
     * {@code @Extension(name = "x-refusals", value = "404 resident-not-found, 409 resident-deceased")}; each becomes a
     * problem response with the code listed in {@code x-problem-codes}.
     */
    public static final String REFUSALS = "x-refusals";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final Pattern CODE_LIST = Pattern.compile("[a-z0-9]+([-_][a-z0-9]+)*(\\s*,\\s*[a-z0-9]+([-_][a-z0-9]+)*)*");

    /** The codes the platform's mappers give for refusals of a request's shape (platform problem package). */
    static final Map<String, List<String>> GENERIC = Map.of(
            "400", List.of("malformed-json", "malformed-request", "validation-failed"),
            "401", List.of("unauthorized"),
            "403", List.of("forbidden"),
            "404", List.of("not-found"),
            "413", List.of("body-too-large"),
            "406", List.of("not-acceptable"),
            "415", List.of("unsupported-media-type"),
            "429", List.of("rate-limited"));

    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("400", "Bad Request"), Map.entry("401", "Unauthorized"), Map.entry("403", "Forbidden"),
            Map.entry("404", "Not Found"), Map.entry("405", "Method Not Allowed"), Map.entry("406", "Not Acceptable"),
            Map.entry("409", "Conflict"), Map.entry("410", "Gone"), Map.entry("413", "Content Too Large"),
            Map.entry("415", "Unsupported Media Type"), Map.entry("422", "Unprocessable Content"),
            Map.entry("429", "Too Many Requests"), Map.entry("500", "Internal Server Error"),
            Map.entry("502", "Bad Gateway"), Map.entry("503", "Service Unavailable"), Map.entry("504", "Gateway Timeout"));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("Problem", problemSchema());
        // quarkus-resteasy-problem's own schemas describe nothing these services answer: Problem does.
        if (openAPI.getComponents().getSchemas() != null) {
            openAPI.getComponents().removeSchema("HttpProblem");
            openAPI.getComponents().removeSchema("HttpValidationProblem");
        }
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) ->
                    describe(path, item, method, operation)));
        }
        // Examples before nullability: a generated example shows each field's value, not null.
        Examples examples = new Examples(openAPI.getComponents());
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(op -> example(examples, op)));
        }
        if (openAPI.getComponents().getSchemas() != null) {
            openAPI.getComponents().getSchemas().values().forEach(ProblemResponsesFilter::nullableUnlessRequired);
            openAPI.getComponents().getSchemas().values().forEach(ProblemResponsesFilter::anchorPatterns);
        }
    }

    private static void describe(String path, PathItem item, PathItem.HttpMethod method, Operation operation) {
        if (operation.getSecurity() == null || operation.getSecurity().isEmpty()) {
            operation.setSecurity(new ArrayList<>()); // public: says so, rather than inheriting nothing by accident
        }
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        boolean api = path.startsWith("/api/") || path.startsWith("/oauth2/") || path.startsWith("/.well-known/");
        if (api) {
            add(responses, "406"); // an Accept header this JSON operation cannot satisfy
            List<Parameter> parameters = new ArrayList<>();
            if (item.getParameters() != null) {
                parameters.addAll(item.getParameters());
            }
            if (operation.getParameters() != null) {
                parameters.addAll(operation.getParameters());
            }
            boolean body = operation.getRequestBody() != null;
            if (body || !parameters.isEmpty()) {
                add(responses, "400");
            }
            if (body) {
                add(responses, "413");
                add(responses, "415");
            }
            if (parameters.stream().anyMatch(p -> p.getIn() == Parameter.In.PATH)) {
                add(responses, "404");
            }
            if (parameters.stream().anyMatch(p -> "Idempotency-Key".equalsIgnoreCase(p.getName()))) {
                // platform Idempotency: a key reused with another body, or still in flight; a missing or malformed key
                codes(responses, "409", "idempotency-key-reused", "request-in-progress");
                codes(responses, "400", "idempotency-key-required");
            }
            if (operation.getExtensions() != null && operation.getExtensions().get(REFUSALS) instanceof String declared) {
                operation.removeExtension(REFUSALS);
                for (String refusal : declared.split("\\s*,\\s*")) {
                    String[] statusAndCode = refusal.trim().split("\\s+");
                    if (statusAndCode.length != 2 || !statusAndCode[0].matches("[45][0-9][0-9]")) {
                        throw new IllegalArgumentException("x-refusals wants \"status code, …\", not " + refusal);
                    }
                    codes(responses, statusAndCode[0], statusAndCode[1]);
                }
            }
            if (operation.getExtensions() != null && operation.getExtensions().containsKey(RATE_LIMITED)) {
                operation.removeExtension(RATE_LIMITED);
                add(responses, "429");
            }
            if (!operation.getSecurity().isEmpty()) {
                add(responses, "401");
                add(responses, "403");
            }
        }
        Map<String, APIResponse> sorted = new TreeMap<>(responses.getAPIResponses() == null ? Map.of() : responses.getAPIResponses());
        sorted.forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                problem(status, response);
            }
        });
        responses.setAPIResponses(sorted);
    }

    private static void codes(APIResponses responses, String status, String... codes) {
        add(responses, status);
        APIResponse response = responses.getAPIResponse(status);
        List<Object> list = new ArrayList<>();
        if (response.getExtensions() != null && response.getExtensions().get(CODES) instanceof List<?> declared) {
            list.addAll(declared);
        }
        list.addAll(List.of(codes));
        response.addExtension(CODES, list);
    }

    /** An example for the request body and each successful answer that has a schema but no example. */
    private static void example(Examples examples, Operation operation) {
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            operation.getRequestBody().getContent().getMediaTypes().values().forEach(m -> exampleOf(examples, m));
        }
        if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
            operation.getResponses().getAPIResponses().forEach((status, response) -> {
                if (status.startsWith("2") && response.getContent() != null) {
                    response.getContent().getMediaTypes().values().forEach(m -> exampleOf(examples, m));
                }
            });
        }
    }

    private static void exampleOf(Examples examples, org.eclipse.microprofile.openapi.models.media.MediaType media) {
        if (media.getExample() == null && (media.getExamples() == null || media.getExamples().isEmpty()) && media.getSchema() != null) {
            Object example = examples.of(media.getSchema());
            if (example != null && !(example instanceof Map<?, ?> m && m.isEmpty())) {
                media.setExample(example);
            }
        }
    }

    private static void add(APIResponses responses, String status) {
        if (responses.getAPIResponse(status) == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse());
        }
    }

    private static void problem(String status, APIResponse response) {
        Set<String> codes = new LinkedHashSet<>();
        String description = response.getDescription() == null ? "" : response.getDescription().trim();
        if (CODE_LIST.matcher(description).matches()) {
            for (String code : description.split("\\s*,\\s*")) {
                codes.add(code);
            }
            description = "";
        }
        codes.addAll(GENERIC.getOrDefault(status, List.of()));
        if (response.getExtensions() != null && response.getExtensions().get(CODES) instanceof List<?> declared) {
            declared.forEach(c -> codes.add(String.valueOf(c)));
        }
        if (description.isEmpty() || description.equals("Not Authorized") || description.equals("Not Allowed") || description.equals("Bad Request")) {
            description = REASONS.getOrDefault(status, "Error");
        }
        response.setDescription(description + (codes.isEmpty() ? "" : " (codes: " + String.join(", ", codes) + ")"));
        if (!codes.isEmpty()) {
            response.addExtension(CODES, new ArrayList<>(codes));
        }
        Content content = OASFactory.createContent().addMediaType(PROBLEM_JSON,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
        response.setContent(content);
    }

    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details; `code` is stable and machine-readable, `detail` is for people.")
                .addProperty("type", string.description("A URI naming the problem type").example("about:blank"))
                .addProperty("title", OASFactory.createSchema().addType(Schema.SchemaType.STRING).example("Conflict"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(java.math.BigDecimal.valueOf(400)).maximum(java.math.BigDecimal.valueOf(599)))
                .addProperty("code", OASFactory.createSchema().addType(Schema.SchemaType.STRING).pattern("^[a-z0-9]+([-_][a-z0-9]+)*$").example("number-taken"))
                .addProperty("detail", OASFactory.createSchema().addType(Schema.SchemaType.STRING).addType(Schema.SchemaType.NULL))
                .addProperty("violations", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .items(OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                                .addProperty("message", OASFactory.createSchema().addType(Schema.SchemaType.STRING))))
                .required(List.of("status", "code"))
                .example(Map.of("title", "Conflict", "status", 409, "code", "number-taken",
                        "detail", "The number is already registered."));
    }

    /**
     * Bean Validation's @Pattern matches the whole value, a JSON Schema pattern any part of it: anchored, the document
     * refuses what the service refuses.
     */
    private static void anchorPatterns(Schema schema) {
        if (schema == null) {
            return;
        }
        // "\\S" is smallrye's rendering of @NotBlank ("has a non-space character somewhere"): unanchored on purpose.
        if (schema.getPattern() != null && !schema.getPattern().startsWith("^") && !schema.getPattern().equals("\\S")) {
            schema.setPattern("^(?:" + schema.getPattern() + ")$");
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(ProblemResponsesFilter::anchorPatterns);
        }
        anchorPatterns(schema.getItems());
        if (schema.getAnyOf() != null) {
            schema.getAnyOf().forEach(ProblemResponsesFilter::anchorPatterns);
        }
        if (schema.getAllOf() != null) {
            schema.getAllOf().forEach(ProblemResponsesFilter::anchorPatterns);
        }
    }

    /** JSON null is allowed where the field is not required: records' absent fields serialise as null unless NON_NULL. */
    private static void nullableUnlessRequired(Schema schema) {
        if (schema.getProperties() == null) {
            return;
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        schema.getProperties().forEach((name, property) -> {
            if (required.contains(name)) {
                return;
            }
            if (property.getRef() != null) {
                Schema ref = OASFactory.createSchema().ref(property.getRef());
                property.setRef(null);
                property.setAnyOf(List.of(ref, OASFactory.createSchema().addType(Schema.SchemaType.NULL)));
            } else if (property.getType() != null && !property.getType().isEmpty() && !property.getType().contains(Schema.SchemaType.NULL)) {
                property.addType(Schema.SchemaType.NULL);
            }
        });
    }
}
