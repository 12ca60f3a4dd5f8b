package org.myna.suite.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A service's OpenAPI 3.1 document as the packaged service serves it (/q/openapi), with its schemas as validators. */
public final class OpenApiDocument {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    public final JsonNode root;
    private final Map<String, JsonSchema> validators = new ConcurrentHashMap<>();

    public OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    public static OpenApiDocument fetch(String baseUrl) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/openapi?format=json"))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(baseUrl + "/q/openapi answered " + r.statusCode());
            }
            return new OpenApiDocument(JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Operation(String method, String path, JsonNode node) {
        public String id() {
            return method.toUpperCase() + " " + path;
        }

        public List<String> roles() {
            List<String> roles = new ArrayList<>();
            node.path("security").forEach(req -> req.fields().forEachRemaining(e -> e.getValue().forEach(r -> roles.add(r.asText()))));
            return roles;
        }

        public boolean secured() {
            return node.path("security").size() > 0;
        }

        public JsonNode requestSchema() {
            return node.path("requestBody").path("content").path("application/json").path("schema");
        }

        public List<JsonNode> parameters() {
            List<JsonNode> list = new ArrayList<>();
            node.path("parameters").forEach(list::add);
            return list;
        }

        public JsonNode response(int status) {
            JsonNode responses = node.path("responses");
            JsonNode r = responses.path(String.valueOf(status));
            return r.isMissingNode() ? responses.path("default") : r;
        }
    }

    public List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        root.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (List.of("get", "post", "put", "delete", "patch").contains(m.getKey())) {
                ops.add(new Operation(m.getKey(), p.getKey(), m.getValue()));
            }
        }));
        return ops;
    }

    /** Follows $ref within the document. */
    public JsonNode resolve(JsonNode schema) {
        int hops = 0;
        while (schema != null && schema.has("$ref") && hops++ < 20) {
            String ref = schema.get("$ref").asText();
            schema = root.at(ref.substring(1));
        }
        return schema;
    }

    /** A validator of the schema, with the document's components beside it so that its $refs resolve. */
    public JsonSchema validator(String key, JsonNode schema) {
        return validators.computeIfAbsent(key, k -> {
            ObjectNode withComponents = JSON.createObjectNode();
            withComponents.setAll((ObjectNode) schema.deepCopy());
            withComponents.set("components", root.path("components"));
            return SCHEMAS.getSchema(withComponents);
        });
    }
}
