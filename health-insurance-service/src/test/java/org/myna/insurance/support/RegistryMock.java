package org.myna.insurance.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * A fake registry on a dynamic port: the token endpoint and the CA are stubbed once; each test stubs the answers
 * it needs, keyed by something unique to it (a number, a certificate), so tests do not disturb each other.
 */
public class RegistryMock implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(new Verifications(), new LinkBatches()));
        server.start();
        server.stubFor(post(urlEqualTo("/oauth2/token"))
                .willReturn(okJson("{\"access_token\":\"service-token\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        server.stubFor(get(urlEqualTo("/api/ca"))
                .willReturn(okJson("{\"certificate\":" + json(TestCa.REGISTRY.pem()) + "}")));
        // Anything not stubbed by a test is an error of the registry, not an answer.
        server.stubFor(post(urlEqualTo("/api/certificates/holder-link")).atPriority(10)
                .willReturn(aResponse().withStatus(500)));
        server.stubFor(post(urlEqualTo("/api/insurance-links/verifications")).atPriority(10)
                .willReturn(aResponse().withTransformers(Verifications.NAME)));
        server.stubFor(post(urlEqualTo("/api/insurance-links/batch")).atPriority(10)
                .willReturn(aResponse().withTransformers(LinkBatches.NAME)));
        return Map.of("insurance.registry.url", server.baseUrl());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectRegistryMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** What the fake registry answers when this link code is re-checked (by default: a match). */
    public static void verificationAnswer(String linkCode, String answerJson) {
        Verifications.ANSWERS.put(linkCode, answerJson);
    }

    /** Answers a page of link re-checks one by one, in order, from {@link #verificationAnswer}. */
    static final class Verifications implements ResponseDefinitionTransformerV2 {
        static final String NAME = "verifications";
        static final Map<String, String> ANSWERS = new ConcurrentHashMap<>();
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            try {
                StringBuilder results = new StringBuilder("{\"results\":[");
                for (JsonNode link : JSON.readTree(serveEvent.getRequest().getBodyAsString()).path("links")) {
                    String code = link.path("linkCode").asText();
                    String answer = ANSWERS.getOrDefault(code, "{\"status\":\"match\",\"mismatched\":[]}");
                    ObjectNode node = (ObjectNode) JSON.readTree(answer);
                    node.put("linkCode", code);
                    results.append(results.charAt(results.length() - 1) == '[' ? "" : ",").append(node);
                }
                return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(results.append("]}").toString()).build();
            } catch (Exception e) {
                return new ResponseDefinitionBuilder().withStatus(400).build();
            }
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    /** What the fake registry answers in a batch link for this individual number (by default: no-match). */
    public static void linkAnswer(String individualNumber, String answerJson) {
        LinkBatches.ANSWERS.put(individualNumber, answerJson);
    }

    /** Answers a page of link requests one by one, in order, from {@link #linkAnswer}. */
    static final class LinkBatches implements ResponseDefinitionTransformerV2 {
        static final String NAME = "link-batches";
        static final Map<String, String> ANSWERS = new ConcurrentHashMap<>();
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            try {
                StringBuilder results = new StringBuilder("{\"results\":[");
                for (JsonNode link : JSON.readTree(serveEvent.getRequest().getBodyAsString()).path("links")) {
                    String answer = ANSWERS.getOrDefault(link.path("number").asText(), "{\"outcome\":\"no-match\"}");
                    results.append(results.charAt(results.length() - 1) == '[' ? "" : ",").append(answer);
                }
                return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(results.append("]}").toString()).build();
            } catch (Exception e) {
                return new ResponseDefinitionBuilder().withStatus(400).build();
            }
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    public static String json(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }
}
