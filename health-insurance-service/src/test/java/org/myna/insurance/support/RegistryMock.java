package org.myna.insurance.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

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
        // Enough threads that a test holding every eligibility slot on a slow answer is not queued inside WireMock.
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(64));
        server.start();
        server.stubFor(post(urlEqualTo("/oauth2/token"))
                .willReturn(okJson("{\"access_token\":\"service-token\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        server.stubFor(get(urlEqualTo("/api/ca"))
                .willReturn(okJson("{\"certificate\":" + json(TestCa.REGISTRY.pem()) + "}")));
        // Anything not stubbed by a test is an error of the registry, not an answer.
        server.stubFor(post(urlEqualTo("/api/certificates/holder-link")).atPriority(10)
                .willReturn(aResponse().withStatus(500)));
        server.stubFor(post(urlEqualTo("/api/insurance-links/verify")).atPriority(10)
                .willReturn(okJson("{\"status\":\"match\",\"mismatched\":[]}")));
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

    public static String json(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }
}
