package org.myna.suite;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One packaged service (target/quarkus-app/quarkus-run.jar) running as its own process on a random port, with
 * its files under a scratch directory. kill() is kill -9: no shutdown hook, no flush — the fault tests need that.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String module;
    private final Path workDir;
    private final int port;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private Process process;

    public ServiceProcess(String module, Path workDir, int port, Map<String, String> env) {
        // The test machine is shared and slow: opening an H2 file after a kill -9 can take longer than the
        // pool's default 5 s acquisition timeout, which would fail the start rather than the test.
        this(module, workDir, port, env, List.of("-Dquarkus.profile=demo", "-Dquarkus.datasource.jdbc.acquisition-timeout=PT30S"));
    }

    /**
     * The service configured by {@code env} alone (plus its HTTP port): the production profile, as a Kubernetes
     * Deployment runs it. {@link org.myna.suite.deploy.DeployedEnvironment} reads that environment from deploy/.
     */
    public static ServiceProcess asDeployed(String module, Path workDir, int port, Map<String, String> env) {
        return new ServiceProcess(module, workDir, port, env, List.of());
    }

    private ServiceProcess(String module, Path workDir, int port, Map<String, String> env, List<String> jvmOptions) {
        this.module = module;
        this.workDir = workDir;
        this.port = port;
        this.env = env;
        this.jvmOptions = jvmOptions;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path root() {
        return Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();
    }

    public ServiceProcess start() {
        Path jar = root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first");
        }
        try {
            Files.createDirectories(workDir);
            List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-Dquarkus.http.port=" + port));
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve(module + ".log").toFile()));
            // Every request of these tests comes from 127.0.0.1: per-address rate limits would refuse the journeys
            // and fault runs for being many. The services' own tests prove the limits; a test may still turn them on.
            builder.environment().putIfAbsent("RATE_LIMIT_ENABLED", "false");
            builder.environment().putAll(env);
            process = builder.start();
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + module, e);
        }
    }

    public ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue() + ": see " + workDir.resolve(module + ".log"));
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException(module + " not ready within " + timeout + ": see " + workDir.resolve(module + ".log"));
    }

    /** Runs the service to its end (a Kubernetes Job's container: QUARKUS_INIT_AND_EXIT) and fails unless it exits 0. */
    public void runToCompletion(Duration timeout) {
        start();
        try {
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(module + " did not finish within " + timeout + ": see " + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(module + " exited with " + process.exitValue() + ": see " + log());
        }
    }

    /** SIGTERM, as Kubernetes stops a pod; returns at once (see {@link #close()} to wait). */
    public void terminate() {
        if (process != null && process.isAlive()) {
            process.destroy();
        }
    }

    /** kill -9. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * kill -9, then the same jar again on the same port with the same working directory (so the same data/ files)
     * and environment, awaiting readiness. What a crashed pod restarted by its orchestrator looks like.
     */
    public ServiceProcess restart(Duration timeout) {
        kill();
        start();
        return awaitReady(timeout);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return workDir.resolve(module + ".log");
    }

    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
