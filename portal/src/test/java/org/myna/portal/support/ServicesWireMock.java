package org.myna.portal.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** One fake for the three services on a dynamic port (the portal's paths at each do not overlap). */
public class ServicesWireMock implements QuarkusTestResourceLifecycleManager {

    public static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        return Map.of("quarkus.rest-client.registry.url", server.baseUrl(),
                "quarkus.rest-client.insurance.url", server.baseUrl(),
                "quarkus.rest-client.wallet.url", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
