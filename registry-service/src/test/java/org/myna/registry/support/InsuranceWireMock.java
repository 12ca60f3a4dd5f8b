package org.myna.registry.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** A fake insurance service on a dynamic port, shared by every test of this module (one Quarkus start). */
public class InsuranceWireMock implements QuarkusTestResourceLifecycleManager {

    public static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        // The same fake stands in for both subscribers of the outbox; tests tell them apart by link code.
        return Map.of("quarkus.rest-client.insurance.url", server.baseUrl(),
                "registry.outbox.subscribers.insurance.url", server.baseUrl(),
                "registry.outbox.subscribers.wallet.url", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
