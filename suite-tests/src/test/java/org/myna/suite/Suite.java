package org.myna.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The three packaged services, started once per test JVM on random ports with a scratch data directory, wired to
 * each other by URL only. The database is H2 files, or whatever REGISTRY_DB_URL/WALLET_DB_URL/INSURANCE_DB_URL
 * in the environment name (CI sets PostgreSQL).
 */
public final class Suite {

    private static Suite instance;

    public final ServiceProcess registry;
    public final ServiceProcess wallet;
    public final ServiceProcess insurance;
    public final Path workDir;

    private Suite() throws IOException {
        workDir = Files.createTempDirectory("myna-suite");
        int registryPort = ServiceProcess.freePort();
        int walletPort = ServiceProcess.freePort();
        int insurancePort = ServiceProcess.freePort();
        String registryUrl = "http://localhost:" + registryPort;
        Map<String, String> toRegistry = Map.of("REGISTRY_URL", registryUrl,
                "TOKEN_JWKS_URL", registryUrl + "/.well-known/jwks.json");
        registry = new ServiceProcess("registry-service", workDir, registryPort,
                Map.of("INSURANCE_URL", "http://localhost:" + insurancePort, "WALLET_URL", "http://localhost:" + walletPort));
        wallet = new ServiceProcess("wallet-service", workDir, walletPort, toRegistry);
        insurance = new ServiceProcess("health-insurance-service", workDir, insurancePort, toRegistry);
    }

    /** Three services already made (see {@link org.myna.suite.deploy.DeployedSuite}); started and stopped by their maker. */
    public Suite(ServiceProcess registry, ServiceProcess wallet, ServiceProcess insurance, Path workDir) {
        this.registry = registry;
        this.wallet = wallet;
        this.insurance = insurance;
        this.workDir = workDir;
    }

    public static synchronized Suite get() {
        if (instance == null) {
            Suite suite;
            try {
                suite = new Suite();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            // Registered before anything starts: a service that fails to start must not leave the others running.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                suite.wallet.close();
                suite.insurance.close();
                suite.registry.close();
            }));
            suite.registry.start();
            suite.wallet.start();
            suite.insurance.start();
            Duration timeout = Duration.ofMinutes(3);
            suite.registry.awaitReady(timeout);
            suite.wallet.awaitReady(timeout);
            suite.insurance.awaitReady(timeout);
            instance = suite;
        }
        return instance;
    }
}
