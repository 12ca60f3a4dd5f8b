package org.myna.registry.ratelimit;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.Map;

/** The test profile keeps rate limits off; these profiles turn them on, small, behind a proxy trusted or not. */
public final class SmallLimits {

    static final int LIMIT = 3;

    private SmallLimits() {
    }

    static Map<String, String> limits(String trustedProxies) {
        Map<String, String> config = new HashMap<>();
        config.put("rate-limit.enabled", "true");
        for (String group : new String[]{"token", "card-login", "number-check", "public-verification"}) {
            config.put("rate-limit.groups." + group + ".limit", Integer.toString(LIMIT));
            config.put("rate-limit.groups." + group + ".period", "PT1M");
        }
        config.put("quarkus.http.proxy.proxy-address-forwarding", "true");
        config.put("quarkus.http.proxy.trusted-proxies", trustedProxies);
        return config;
    }

    /** The tests' requests come from 127.0.0.1, an address that is not among the trusted proxies. */
    public static class BehindAnotherProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return limits("192.0.2.10");
        }
    }

    /** The tests' requests come from a trusted proxy: their X-Forwarded-For names the client. */
    public static class BehindThisProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return limits("127.0.0.0/8");
        }
    }
}
