package org.myna.platform.residency;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The residency guard with the real configuration mapping and a resolver the test controls (a DNS it can move). */
class ResidencyGuardTest {

    /** host → address, as a DNS the test can change. */
    final Map<String, String> dns = new ConcurrentHashMap<>();

    final ResidencyCheck.Resolver resolver = host -> {
        String address = dns.get(host);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[]{InetAddress.getByName(address)};
    };

    ResidencyGuard guard(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of("myna.residency.networks", "10.0.0.0/8,fd00::/8"));
        all.putAll(properties);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ResidencyConfig.class)
                .withSources(new PropertiesConfigSource(all, "test", 500)).build();
        return new ResidencyGuard(config.getConfigMapping(ResidencyConfig.class), config, resolver);
    }

    @Test
    void aDatabaseOutsideTheDeclaredNetworksStopsTheStartNamingTheSetting() {
        dns.put("db.abroad.example", "203.0.113.7");
        ResidencyGuard guard = guard(Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://db.abroad.example:5432/myna"));
        assertThatThrownBy(() -> guard.onStart(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setting quarkus.datasource.jdbc.url").hasMessageContaining("db.abroad.example")
                .hasMessageContaining("203.0.113.7").hasMessageContaining("10.0.0.0/8");
    }

    @Test
    void aPeerInsideStartsAndOneOfAFailoverListOutsideDoesNot() {
        dns.put("db-a.internal", "10.1.0.5");
        dns.put("db-b.internal", "198.51.100.4");
        dns.put("registry", "10.2.0.9");
        guard(Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://db-a.internal:5432/myna",
                "myna.residency.settings", "quarkus.rest-client.registry.url",
                "quarkus.rest-client.registry.url", "http://registry:8081")).onStart(null);
        assertThatThrownBy(() -> guard(Map.of("quarkus.datasource.jdbc.url",
                "jdbc:postgresql://db-a.internal:5432,db-b.internal:5432/myna?targetServerType=primary")).onStart(null))
                .hasMessageContaining("db-b.internal");
    }

    @Test
    void aServiceSettingAnUnresolvableHostAndLoopbackInProductionAreRefused() {
        assertThatThrownBy(() -> guard(Map.of("myna.residency.settings", "quarkus.rest-client.insurance.url",
                "quarkus.rest-client.insurance.url", "http://nowhere.invalid")).onStart(null))
                .hasMessageContaining("setting quarkus.rest-client.insurance.url").hasMessageContaining("does not resolve");
        dns.put("localhost", "127.0.0.1");
        Map<String, String> local = Map.of("myna.residency.settings", "registry.outbox.subscribers.wallet.url",
                "registry.outbox.subscribers.wallet.url", "http://localhost:8082");
        assertThatThrownBy(() -> guard(local).onStart(null)).hasMessageContaining("registry.outbox.subscribers.wallet.url");
        // the demo, dev and test profiles declare loopback as inside
        Map<String, String> demo = new HashMap<>(local);
        demo.put("myna.residency.allow-loopback", "true");
        guard(demo).onStart(null);
    }

    @Test
    void anEmbeddedDatabaseAndAFileKeyNameNoHostAndAnIdleExporterIsNotChecked() {
        ResidencyGuard guard = guard(Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:file:./data/registry;MODE=PostgreSQL",
                "mp.jwt.verify.publickey.location", "test-verify-key.pem",
                "quarkus.otel.traces.exporter", "none", "quarkus.otel.exporter.otlp.endpoint", "http://collector.abroad:4317"));
        assertThat(guard.check()).isEmpty();
        dns.put("collector.abroad", "192.0.2.1");
        ResidencyGuard exporting = guard(Map.of("quarkus.otel.traces.exporter", "cdi",
                "quarkus.otel.exporter.otlp.endpoint", "http://collector.abroad:4317"));
        assertThat(exporting.check()).extracting(ResidencyCheck.Violation::setting).containsExactly("quarkus.otel.exporter.otlp.endpoint");
    }

    @Test
    void aMalformedDeclarationIsRefusedNamingIt() {
        assertThatThrownBy(() -> guard(Map.of("myna.residency.networks", "10.0.0.0/33")))
                .hasMessageContaining("myna.residency.networks");
        assertThatThrownBy(() -> guard(Map.of("myna.residency.networks", "intranet.example/8")))
                .hasMessageContaining("myna.residency.networks");
    }

    @Test
    void aPeerMovedByDnsTurnsReadinessDownAndItsDatabaseConnectionsAreRefused() {
        dns.put("registry.internal", "10.3.0.1");
        dns.put("db.internal", "fd00::17");
        ResidencyGuard guard = guard(Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://db.internal:5432/myna",
                "myna.residency.settings", "quarkus.rest-client.registry.url",
                "quarkus.rest-client.registry.url", "https://registry.internal"));
        guard.onStart(null);
        ResidencyHealthCheck health = new ResidencyHealthCheck(guard);
        ResidencyPoolInterceptor pool = new ResidencyPoolInterceptor(guard);
        assertThat(health.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        pool.onConnectionCreate(null);

        dns.put("registry.internal", "198.51.100.20"); // a failover to a site abroad
        HealthCheckResponse down = health.call();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData().orElseThrow()).containsEntry("outside", "quarkus.rest-client.registry.url");
        assertThat((String) down.getData().orElseThrow().get("reason")).contains("198.51.100.20");

        dns.put("db.internal", "2001:db8::5");
        // Until a probe resolves it again, new connections trust the host found inside a moment ago...
        pool.onConnectionCreate(null);
        assertThat(health.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        // ...and the probe that found it outside ends that trust: the next connection is refused.
        boolean[] closed = {false};
        Connection connection = (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{Connection.class}, (p, m, a) -> {
                    if (m.getName().equals("close")) {
                        closed[0] = true;
                    }
                    return null;
                });
        assertThatThrownBy(() -> pool.onConnectionCreate(connection)).hasMessageContaining("quarkus.datasource.jdbc.url");
        assertThat(closed[0]).isTrue();

        dns.put("registry.internal", "10.3.0.2");
        dns.put("db.internal", "fd00::18");
        assertThat(health.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    /** A clock for the connection check's trust in a host (Caffeine's ticker, in nanoseconds). */
    final AtomicLong nanos = new AtomicLong();

    @Test
    void aPoolOpeningManyConnectionsResolvesTheDatabaseHostOncePerTtlAndAMoveIsSeenWhenItEnds() {
        Map<String, Integer> lookups = new ConcurrentHashMap<>();
        ResidencyCheck.Resolver counting = host -> {
            lookups.merge(host, 1, Integer::sum);
            return resolver.resolve(host);
        };
        dns.put("db.internal", "10.4.0.1");
        Map<String, String> all = Map.of("myna.residency.networks", "10.0.0.0/8",
                "myna.residency.connection-check-ttl", "PT30S",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://db.internal:5432/myna");
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ResidencyConfig.class)
                .withSources(new PropertiesConfigSource(all, "test", 500)).build();
        ResidencyGuard guard = new ResidencyGuard(config.getConfigMapping(ResidencyConfig.class), config, counting, nanos::get);
        ResidencyPoolInterceptor pool = new ResidencyPoolInterceptor(guard);

        for (int i = 0; i < 50; i++) {
            pool.onConnectionCreate(null);
        }
        assertThat(lookups).containsEntry("db.internal", 1);

        dns.put("db.internal", "198.51.100.9"); // failover abroad
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        pool.onConnectionCreate(null); // still within the trust: no lookup
        assertThat(lookups).containsEntry("db.internal", 1);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThatThrownBy(() -> pool.onConnectionCreate(connection())).hasMessageContaining("198.51.100.9");
        assertThatThrownBy(() -> pool.onConnectionCreate(connection())).hasMessageContaining("198.51.100.9");
        assertThat(lookups).as("an outside answer is not kept").containsEntry("db.internal", 3);

        dns.put("db.internal", "10.4.0.2"); // back home: let in at the next attempt
        pool.onConnectionCreate(null);
        pool.onConnectionCreate(null);
        assertThat(lookups).containsEntry("db.internal", 4);
    }

    @Test
    void cidrsMatchByPrefix() {
        assertThat(Cidr.parse("10.0.0.0/8").contains(addr("10.255.1.1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(addr("11.0.0.1"))).isFalse();
        assertThat(Cidr.parse("172.16.0.0/12").contains(addr("172.31.255.255"))).isTrue();
        assertThat(Cidr.parse("172.16.0.0/12").contains(addr("172.32.0.0"))).isFalse();
        assertThat(Cidr.parse("fd00::/8").contains(addr("fd12::1"))).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains(addr("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(addr("8.8.8.8"))).isTrue();
    }

    /** A connection that only lets itself be closed. */
    Connection connection() {
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                (p, m, a) -> null);
    }

    static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
