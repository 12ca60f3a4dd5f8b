package org.myna.suite;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Typed inter-service contracts (issue 20), checked in the build: every record a consumer sends to or reads from a
 * provider is compared with the OpenAPI document the provider's build just wrote (target/openapi/openapi.json, the
 * document its packaged jar serves at /q/openapi). A request record may name only fields the provider knows and must
 * carry every field the provider requires; an answer record may read only fields the provider documents, and a
 * primitive (never null) only where the provider requires the field and does not allow null; types must agree.
 * Chosen over Pact: the providers already publish their contract as OpenAPI, which the fuzzer holds them to.
 * The portal is a consumer like the services: its records are the fields its pages read.
 */
class ContractTest {

    static final ObjectMapper JSON = new ObjectMapper();

    record Call(String consumer, String provider, String method, String path, String request, String answer) {
    }

    static final String WALLET = "org.myna.wallet.registry.RegistryApi$";
    static final String INSURANCE = "org.myna.insurance.registry.RegistryContract$";
    static final String REGISTRY = "org.myna.registry.";
    static final String PORTAL = "org.myna.portal.services.";

    static final List<Call> CALLS = List.of(
            new Call("wallet", "registry-service", "post", "/oauth2/token", null, WALLET + "TokenResponse"),
            new Call("wallet", "registry-service", "post", "/api/exchange/eligibility", WALLET + "EligibilityQuestion", WALLET + "EligibilityAnswer"),
            new Call("wallet", "registry-service", "post", "/api/exchange/holder-name", WALLET + "HolderNameQuestion", WALLET + "HolderNameAnswer"),
            new Call("wallet", "registry-service", "post", "/api/card-standings/lookup", WALLET + "StandingQuery", WALLET + "Standing"),
            new Call("wallet", "registry-service", "post", "/api/access-log/entries", WALLET + "AccessLogBatch", null),
            new Call("insurance", "registry-service", "post", "/oauth2/token", null, INSURANCE + "TokenAnswer"),
            new Call("insurance", "registry-service", "get", "/api/ca", null, INSURANCE + "CaAnswer"),
            new Call("insurance", "registry-service", "post", "/api/certificates/holder-link", INSURANCE + "HolderLinkQuery", INSURANCE + "HolderLinkAnswer"),
            new Call("insurance", "registry-service", "post", "/api/card-standings/lookup", INSURANCE + "StandingQuery", INSURANCE + "StandingAnswer"),
            new Call("insurance", "registry-service", "post", "/api/insurance-links", INSURANCE + "Link", INSURANCE + "Linked"),
            new Call("insurance", "registry-service", "post", "/api/insurance-links/batch", INSURANCE + "LinkBatch", INSURANCE + "LinkBatchAnswer"),
            new Call("insurance", "registry-service", "post", "/api/insurance-links/verifications", INSURANCE + "Verifications", INSURANCE + "VerificationsAnswer"),
            new Call("insurance", "registry-service", "post", "/api/access-log/entries", INSURANCE + "AccessLogBatch", null),
            new Call("registry", "health-insurance-service", "post", "/api/links/lookup", REGISTRY + "exchange.InsuranceApi$LinkQuery", REGISTRY + "exchange.InsuranceApi$LinkAnswer"),
            new Call("registry", "health-insurance-service", "post", "/api/events", REGISTRY + "outbox.EventsApi$EventMessage", null),
            new Call("registry", "health-insurance-service", "post", "/api/events/watermark", REGISTRY + "outbox.EventsApi$Watermark", null),
            new Call("registry", "wallet-service", "post", "/api/events", REGISTRY + "outbox.EventsApi$EventMessage", null),
            new Call("registry", "wallet-service", "post", "/api/events/watermark", REGISTRY + "outbox.EventsApi$Watermark", null),
            new Call("portal", "registry-service", "post", "/oauth2/token", null, PORTAL + "RegistryApi$TokenAnswer"),
            new Call("portal", "registry-service", "post", "/oauth2/device_authorization", null, PORTAL + "RegistryApi$DeviceAnswer"),
            new Call("portal", "registry-service", "get", "/api/me", null, PORTAL + "RegistryApi$Me"),
            new Call("portal", "registry-service", "get", "/api/me/public-fund-account", null, PORTAL + "RegistryApi$PublicFundAccount"),
            new Call("portal", "registry-service", "put", "/api/me/public-fund-account", PORTAL + "RegistryApi$AccountRequest", PORTAL + "RegistryApi$PublicFundAccount"),
            new Call("portal", "wallet-service", "get", "/api/me/balance", null, PORTAL + "WalletApi$Balance"),
            new Call("portal", "wallet-service", "get", "/api/me/history", null, PORTAL + "WalletApi$History"),
            new Call("portal", "wallet-service", "get", "/api/me/payment-choice", null, PORTAL + "WalletApi$PaymentChoice"),
            new Call("portal", "wallet-service", "post", "/api/applications", PORTAL + "WalletApi$Apply", PORTAL + "WalletApi$Applied"),
            new Call("portal", "wallet-service", "post", "/api/payment-choices", PORTAL + "WalletApi$Choose", PORTAL + "WalletApi$Chosen"),
            new Call("portal", "health-insurance-service", "post", "/api/eligibility/challenges", null, PORTAL + "InsuranceApi$Issued"),
            new Call("portal", "health-insurance-service", "post", "/api/eligibility/card-checks", PORTAL + "InsuranceApi$CardCheck", PORTAL + "InsuranceApi$CheckAnswer"),
            new Call("portal", "health-insurance-service", "post", "/api/eligibility/certificate-checks", PORTAL + "InsuranceApi$CertificateCheck", PORTAL + "InsuranceApi$CheckAnswer"),
            new Call("portal", "health-insurance-service", "post", "/api/eligibility/number-checks", PORTAL + "InsuranceApi$NumberCheck", PORTAL + "InsuranceApi$CheckAnswer"),
            new Call("portal", "health-insurance-service", "get", "/api/me/coverage", null, PORTAL + "InsuranceApi$Coverage"),
            new Call("portal", "health-insurance-service", "get", "/api/me/eligibility-checks", null, PORTAL + "InsuranceApi$CheckView"));

    /**
     * The consumers' classes as this build compiled them (each module's target/classes), not whatever artifact Maven
     * resolves for a module built alone.
     */
    static final ClassLoader BUILD = build();

    static ClassLoader build() {
        try {
            List<URL> urls = new ArrayList<>();
            for (String module : List.of("platform", "registry-service", "wallet-service", "health-insurance-service", "portal")) {
                Path classes = ServiceProcess.root().resolve(module).resolve("target/classes");
                urls.add(classes.toUri().toURL());
            }
            // Child-first for the suite's own classes: this module's class path holds the services' jars without their
            // dependencies (the platform among them), so a record naming a platform type must come from here.
            return new URLClassLoader(urls.toArray(URL[]::new), ContractTest.class.getClassLoader()) {
                @Override
                protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                    if (!name.startsWith("org.myna.")) {
                        return super.loadClass(name, resolve);
                    }
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        if (c == null) {
                            try {
                                c = findClass(name);
                            } catch (ClassNotFoundException e) {
                                c = super.loadClass(name, false);
                            }
                        }
                        if (resolve) {
                            resolveClass(c);
                        }
                        return c;
                    }
                }
            };
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Class<?> consumer(String name) throws ClassNotFoundException {
        return Class.forName(name, false, BUILD);
    }

    static JsonNode document(String module) throws IOException {
        Path file = ServiceProcess.root().resolve(module).resolve("target/openapi/openapi.json");
        assertThat(file).as(module + " must be built first (it writes its OpenAPI document at build time)").exists();
        return JSON.readTree(Files.readString(file));
    }

    @Test
    void everyConsumerRecordMatchesTheProviderDocumentTheBuildProduced() throws Exception {
        List<String> violations = new ArrayList<>();
        for (Call call : CALLS) {
            JsonNode doc = document(call.provider());
            JsonNode operation = doc.path("paths").path(call.path()).path(call.method());
            String where = call.consumer() + " → " + call.provider() + " " + call.method().toUpperCase() + " " + call.path();
            if (operation.isMissingNode()) {
                violations.add(where + ": the provider has no such operation");
                continue;
            }
            if (call.request() != null) {
                JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
                new Checker(doc, violations, where + " request").request(consumer(call.request()), schema, "");
            }
            if (call.answer() != null) {
                JsonNode schema = success(operation).path("content").path("application/json").path("schema");
                if (schema.has("items")) { // a list answer: the record reads one of its items
                    schema = schema.get("items");
                }
                new Checker(doc, violations, where + " answer").answer(consumer(call.answer()), schema, "");
            }
        }
        violations.forEach(v -> System.out.println("   contract: " + v));
        assertThat(violations).isEmpty();
    }

    /** The checker is not vacuous: misspelt, missing, mistyped and wrongly non-null fields are each caught. */
    @Test
    void theCheckerCatchesWhatWouldBreakACall() throws Exception {
        JsonNode doc = document("registry-service");
        JsonNode operation = doc.path("paths").path("/api/insurance-links").path("post");
        JsonNode request = operation.path("requestBody").path("content").path("application/json").path("schema");
        List<String> violations = new ArrayList<>();
        new Checker(doc, violations, "misspelt").request(Misspelt.class, request, "");
        assertThat(violations).anyMatch(v -> v.contains("numbr")).anyMatch(v -> v.contains("requires number"));
        violations.clear();
        JsonNode answer = success(doc.path("paths").path("/api/exchange/eligibility").path("post")).path("content").path("application/json").path("schema");
        new Checker(doc, violations, "mistyped").answer(Mistyped.class, answer, "");
        assertThat(violations).anyMatch(v -> v.contains("answer") && v.contains("integer"));
    }

    record Misspelt(String numbr, String familyName) {
    }

    record Mistyped(long answer) {
    }

    static JsonNode success(JsonNode operation) {
        for (String status : List.of("200", "201", "202")) {
            if (operation.path("responses").has(status)) {
                return operation.path("responses").path(status);
            }
        }
        return operation.path("responses").path("default");
    }

    static final class Checker {
        private final JsonNode doc;
        private final List<String> violations;
        private final String where;
        private final Set<String> seen = new HashSet<>();

        Checker(JsonNode doc, List<String> violations, String where) {
            this.doc = doc;
            this.violations = violations;
            this.where = where;
        }

        JsonNode resolve(JsonNode schema) {
            for (int i = 0; i < 20 && schema.has("$ref"); i++) {
                schema = doc.at(schema.get("$ref").asText().substring(1));
            }
            if (schema.has("anyOf")) { // T or null
                for (JsonNode option : schema.get("anyOf")) {
                    JsonNode o = resolve(option);
                    if (!types(o).contains("null") || types(o).size() > 1) {
                        return o;
                    }
                }
            }
            if (schema.has("allOf")) { // merge the parts' properties and required lists
                var merged = JSON.createObjectNode().put("type", "object");
                var properties = merged.putObject("properties");
                var required = merged.putArray("required");
                schema.get("allOf").forEach(part -> {
                    JsonNode p = resolve(part);
                    p.path("properties").fields().forEachRemaining(e -> properties.set(e.getKey(), e.getValue()));
                    p.path("required").forEach(required::add);
                });
                return merged;
            }
            return schema;
        }

        static Set<String> types(JsonNode schema) {
            Set<String> types = new HashSet<>();
            JsonNode t = schema.path("type");
            if (t.isArray()) {
                t.forEach(x -> types.add(x.asText()));
            } else if (t.isTextual()) {
                types.add(t.asText());
            }
            return types;
        }

        static boolean nullable(JsonNode raw, JsonNode resolved) {
            if (raw.has("anyOf")) {
                for (JsonNode o : raw.get("anyOf")) {
                    if (types(o).contains("null")) {
                        return true;
                    }
                }
            }
            return types(resolved).contains("null");
        }

        void request(Class<?> type, JsonNode schema, String prefix) {
            object(type, schema, prefix, true);
        }

        void answer(Class<?> type, JsonNode schema, String prefix) {
            object(type, schema, prefix, false);
        }

        private void object(Class<?> type, JsonNode raw, String prefix, boolean request) {
            JsonNode schema = resolve(raw);
            if (!type.isRecord()) {
                return;
            }
            if (!seen.add(type.getName() + prefix + request)) {
                return;
            }
            if (!schema.has("properties")) {
                violations.add(where + ": " + prefix + type.getSimpleName() + " is an object here, the provider documents " + schema);
                return;
            }
            Set<String> names = new HashSet<>();
            Set<String> required = new HashSet<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            for (RecordComponent component : type.getRecordComponents()) {
                String name = jsonName(type, component);
                names.add(name);
                JsonNode property = schema.path("properties").path(name);
                if (property.isMissingNode()) {
                    violations.add(where + ": " + prefix + name + " is not a field the provider knows");
                    continue;
                }
                JsonNode resolved = resolve(property);
                if (!request && component.getType().isPrimitive() && (!required.contains(name) || nullable(property, resolved))) {
                    violations.add(where + ": " + prefix + name + " is read as a primitive but the provider may omit it or send null");
                }
                value(component.getGenericType(), property, prefix + name, request);
            }
            if (request) {
                for (String r : required) {
                    if (!names.contains(r)) {
                        violations.add(where + ": the provider requires " + prefix + r + ", which this record does not send");
                    }
                }
            }
        }

        private void value(Type type, JsonNode raw, String name, boolean request) {
            JsonNode schema = resolve(raw);
            Set<String> types = types(schema);
            Class<?> c = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
            String expected;
            if (c == String.class || c == LocalDate.class || c == OffsetDateTime.class || c.isEnum()) {
                expected = "string";
            } else if (c == Long.class || c == long.class || c == Integer.class || c == int.class) {
                expected = "integer";
            } else if (c == Boolean.class || c == boolean.class) {
                expected = "boolean";
            } else if (List.class.isAssignableFrom(c)) {
                expected = "array";
            } else if (c.isRecord() || Map.class.isAssignableFrom(c)) {
                expected = "object";
            } else {
                return; // Object, JsonNode: anything
            }
            boolean anything = types.isEmpty() && !schema.has("properties") && !schema.has("items");
            boolean compatible = anything || types.contains(expected) || (expected.equals("object") && schema.has("properties"))
                    || (expected.equals("array") && schema.has("items"));
            if (!compatible) {
                violations.add(where + ": " + name + " is " + expected + " here, the provider documents " + types);
                return;
            }
            if (expected.equals("array") && type instanceof ParameterizedType p && schema.has("items")) {
                value(p.getActualTypeArguments()[0], schema.get("items"), name + "[]", request);
            } else if (c.isRecord() && !anything) {
                object(c, raw, name + ".", request);
            }
        }

        static String jsonName(Class<?> type, RecordComponent component) {
            try {
                JsonProperty p = type.getDeclaredField(component.getName()).getAnnotation(JsonProperty.class);
                if (p == null) {
                    p = component.getAccessor().getAnnotation(JsonProperty.class);
                }
                return p != null && !p.value().isEmpty() ? p.value() : component.getName();
            } catch (NoSuchFieldException e) {
                return component.getName();
            }
        }
    }
}
