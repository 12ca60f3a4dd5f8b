package org.myna.suite.deploy;

import org.myna.suite.ServiceProcess;
import org.myna.suite.Suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three packaged services started as an overlay of deploy/ runs them: first each migration Job's container to
 * completion, then each Deployment's container, every one with exactly the environment the manifests give it
 * (ConfigMaps, Secret values from deploy/test/fixture, the registry's keys made by deploy/keys.sh). Only what a
 * cluster's network would resolve is substituted: a Service's URL (http://registry-service) becomes this machine's
 * port, the database URL becomes the CI's PostgreSQL (REGISTRY_DB_URL, WALLET_DB_URL, INSURANCE_DB_URL), mount paths
 * become local directories, and the HTTP port is a free one.
 */
public final class DeployedSuite {

    public static final List<String> MODULES = List.of("registry-service", "wallet-service", "health-insurance-service");
    private static final Pattern SERVICE_URL = Pattern.compile("http://(registry-service|wallet-service|health-insurance-service)(?=/|$)");

    private DeployedSuite() {
    }

    public static Suite start(Path overlay) throws IOException, InterruptedException {
        Path root = ServiceProcess.root();
        List<Map<String, Object>> objects = Manifests.render(overlay);
        Path fixture = root.resolve("deploy/test/fixture");
        Path workDir = Files.createTempDirectory("myna-deployed");
        Path keys = workDir.resolve("registry-keys");
        Process keygen = new ProcessBuilder("bash", root.resolve("deploy/keys.sh").toString(), keys.toString())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("keys.log").toFile()).start();
        if (!keygen.waitFor(60, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
            throw new IllegalStateException("deploy/keys.sh failed: see " + workDir.resolve("keys.log"));
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String module : MODULES) {
            ports.put(module, ServiceProcess.freePort());
        }
        // The three migration Jobs run at once, as the cluster runs them; the Deployments' pods wait for them.
        List<java.util.concurrent.CompletableFuture<Void>> jobs = new java.util.ArrayList<>();
        for (String module : MODULES) {
            Map<String, String> job = environment(objects, "Job", module + "-flyway-init", fixture, keys, workDir, ports);
            ServiceProcess process = ServiceProcess.asDeployed(module, workDir.resolve("job"), ServiceProcess.freePort(), job);
            jobs.add(java.util.concurrent.CompletableFuture.runAsync(() -> process.runToCompletion(Duration.ofMinutes(3))));
        }
        jobs.forEach(java.util.concurrent.CompletableFuture::join);
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        for (String module : MODULES) {
            Map<String, String> deployment = environment(objects, "Deployment", module, fixture, keys, workDir, ports);
            services.put(module, ServiceProcess.asDeployed(module, workDir, ports.get(module), deployment));
        }
        Suite suite = new Suite(services.get("registry-service"), services.get("wallet-service"), services.get("health-insurance-service"), workDir);
        services.values().forEach(ServiceProcess::start);
        services.values().forEach(s -> s.awaitReady(Duration.ofMinutes(3)));
        return suite;
    }

    static Map<String, String> environment(List<Map<String, Object>> objects, String kind, String name, Path fixture, Path keys,
                                           Path workDir, Map<String, Integer> ports) {
        Map<String, String> env = DeployedEnvironment.of(objects, kind, name, fixture, Map.of("registry-keys", keys), workDir.resolve("volumes"));
        Map<String, String> local = DeployedEnvironment.rewrite(env, value -> {
            Matcher m = SERVICE_URL.matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, "http://localhost:" + ports.get(m.group(1)));
            }
            return m.appendTail(out).toString();
        });
        for (String key : List.copyOf(local.keySet())) {
            if (key.endsWith("_DB_URL")) {
                String ci = System.getenv(key);
                if (ci == null) {
                    throw new IllegalStateException(key + " (the CI's PostgreSQL) is not set");
                }
                local.put(key, ci);
            }
        }
        return local;
    }
}
