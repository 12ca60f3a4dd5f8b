package org.myna.platform.ratelimit;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Forwarding headers believed from any peer would let a client choose the address its limit is counted on. */
class ForwardingGuardTest {

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 500)).build();
    }

    @Test
    void refusesToStartWithForwardingOnAndNoTrustedProxy() {
        assertThatThrownBy(() -> new ForwardingGuard().check(null, config(Map.of("quarkus.http.proxy.proxy-address-forwarding", "true"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("trusted-proxies");
        assertThatThrownBy(() -> new ForwardingGuard().check(null, config(Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.trusted-proxies", "")))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startsWithForwardingOffOrWithTrustedProxies() {
        assertThatCode(() -> new ForwardingGuard().check(null, config(Map.of()))).doesNotThrowAnyException();
        assertThatCode(() -> new ForwardingGuard().check(null, config(Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.trusted-proxies", "10.0.0.0/8")))).doesNotThrowAnyException();
    }
}
