package org.myna.wallet.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * The registry as the wallet sees it: its token endpoint and the exchange, on a dynamic port. By default every
 * condition holds; {@link #answer} and {@link #fail} change it for one link code so tests do not disturb each other.
 */
public class RegistryWireMock implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(64));
        server.start();
        server.stubFor(post(urlEqualTo("/oauth2/token"))
                .withFormParam("client_id", equalTo("wallet-service"))
                .withFormParam("client_secret", equalTo("wallet-service-secret"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"service-token\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        server.stubFor(post(urlEqualTo("/api/exchange/eligibility")).atPriority(10)
                .withHeader("Authorization", equalTo("Bearer service-token"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"answer\":true}")));
        // Every resident's name in kana is Wallet.HOLDER_KANA; any other name is not theirs.
        server.stubFor(post(urlEqualTo("/api/exchange/holder-name")).atPriority(10)
                .withHeader("Authorization", equalTo("Bearer service-token"))
                .withRequestBody(matchingJsonPath("$.holderKana", equalTo(Wallet.HOLDER_KANA)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"matches\":true}")));
        server.stubFor(post(urlEqualTo("/api/exchange/holder-name")).atPriority(11)
                .withHeader("Authorization", equalTo("Bearer service-token"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"matches\":false}")));
        return Map.of("wallet.registry.url", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    public static WireMockServer server() {
        return server;
    }

    public static void answer(String linkCode, String question, boolean answer) {
        server.stubFor(post(urlEqualTo("/api/exchange/eligibility")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.linkCode", equalTo(linkCode)))
                .withRequestBody(matchingJsonPath("$.question", equalTo(question)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"answer\":" + answer + "}")));
    }

    public static void fail(String linkCode) {
        server.stubFor(post(urlEqualTo("/api/exchange/eligibility")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.linkCode", equalTo(linkCode)))
                .willReturn(aResponse().withStatus(500).withBody("boom")));
    }
}
