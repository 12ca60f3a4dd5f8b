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
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(VERIFICATIONS, LINK_BATCHES));
        server.start();
        server.stubFor(post(urlEqualTo("/oauth2/token"))
                .willReturn(okJson("{\"access_token\":\"service-token\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        server.stubFor(get(urlEqualTo("/api/ca"))
                .willReturn(okJson("{\"certificate\":" + json(TestCa.REGISTRY.pem()) + "}")));
        // Anything not stubbed by a test is an error of the registry, not an answer.
        server.stubFor(post(urlEqualTo("/api/certificates/holder-link")).atPriority(10)
                .willReturn(aResponse().withStatus(500)));
        server.stubFor(post(urlEqualTo("/api/insurance-links/verifications")).atPriority(10)
                .willReturn(aResponse().withTransformers(VERIFICATIONS.getName())));
        server.stubFor(post(urlEqualTo("/api/insurance-links/batch")).atPriority(10)
                .willReturn(aResponse().withTransformers(LINK_BATCHES.getName())));
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
        VERIFICATIONS.answers.put(linkCode, answerJson);
    }

    /** What the fake registry answers in a batch link for this individual number (by default: no-match). */
    public static void linkAnswer(String individualNumber, String answerJson) {
        LINK_BATCHES.answers.put(individualNumber, answerJson);
    }

    /** Re-checks echo the link code in each answer, as the registry does. */
    static final PageAnswers VERIFICATIONS = new PageAnswers("verifications", "linkCode", "{\"status\":\"match\",\"mismatched\":[]}", true);
    static final PageAnswers LINK_BATCHES = new PageAnswers("link-batches", "number", "{\"outcome\":\"no-match\"}", false);

    /** Answers a page of {@code links} one by one, in order, from answers keyed by one field of each link. */
    static final class PageAnswers implements ResponseDefinitionTransformerV2 {
        private static final ObjectMapper JSON = new ObjectMapper();
        final Map<String, String> answers = new ConcurrentHashMap<>();
        private final String name;
        private final String keyField;
        private final String defaultAnswer;
        private final boolean echoKey;

        PageAnswers(String name, String keyField, String defaultAnswer, boolean echoKey) {
            this.name = name;
            this.keyField = keyField;
            this.defaultAnswer = defaultAnswer;
            this.echoKey = echoKey;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            try {
                StringBuilder results = new StringBuilder("{\"results\":[");
                for (JsonNode link : JSON.readTree(serveEvent.getRequest().getBodyAsString()).path("links")) {
                    String key = link.path(keyField).asText();
                    ObjectNode answer = (ObjectNode) JSON.readTree(answers.getOrDefault(key, defaultAnswer));
                    if (echoKey) {
                        answer.put(keyField, key);
                    }
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
            return name;
        }
    }

    public static String json(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }
}
