package org.myna.suite;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ./myna demo} is part of what the suite promises: bin/demo.sh walks the whole journey against the packaged
 * services (on this test's random ports) with the card simulator's CLI, curl and jq, and must finish cleanly.
 * Without curl or jq the test is skipped, unless MYNA_DEMO_REQUIRED is set (CI sets it: there it must run).
 */
class DemoIT {

    static Suite suite;

    @BeforeAll
    static void start() {
        boolean tools = onPath("curl") && onPath("jq");
        if (!tools && System.getenv("MYNA_DEMO_REQUIRED") != null) {
            fail("the demo needs curl and jq on the PATH (MYNA_DEMO_REQUIRED is set)");
        }
        assumeTrue(tools, "the demo needs curl and jq on the PATH");
        suite = Suite.get();
    }

    @Test
    void theDemoWalksTheWholeJourney() throws Exception {
        Run run = demo(Map.of());
        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.output)
                .contains("the registry assigned the individual number ********")
                .contains("card ", " is active")
                .contains("link linked by the registry")
                .contains("result: covered — 髙橋 𠮷子")
                .contains("granted 7500 points")
                .contains("balance 19000 points")
                .contains("anyone can verify it with its code: valid")
                .contains("clinic: card-revoked")
                .contains("kiosk: refused (certificate-revoked)")
                .contains("card-revoked event was delivered to the insurance service")
                .contains("her access log")
                .contains("The demo walked the whole journey")
                .doesNotContain("DEMO FAILED");
    }

    @Test
    void theDemoStopsWithAClearMessageWhenAServiceIsNotThere() throws Exception {
        Run run = demo(Map.of("MYNA_WALLET_URL", "http://localhost:" + ServiceProcess.freePort()));
        assertThat(run.exitCode).as(run.output).isEqualTo(1);
        assertThat(run.output).contains("DEMO FAILED").contains("no ready service at").contains("./myna up");
    }

    record Run(int exitCode, String output) {
    }

    static Run demo(Map<String, String> overrides) throws IOException, InterruptedException {
        Path root = ServiceProcess.root();
        Path dir = Files.createTempDirectory(suite.workDir, "demo");
        Path output = dir.resolve("demo.out");
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("bin/demo.sh").toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("MYNA_REGISTRY_URL", suite.registry.url());
        env.put("MYNA_WALLET_URL", suite.wallet.url());
        env.put("MYNA_INSURANCE_URL", suite.insurance.url());
        env.put("MYNA_DEMO_DIR", dir.toString());
        env.put("MYNA_CARD_JAR", cardJar(root).toString());
        env.put("LC_ALL", "C.UTF-8");
        env.putAll(overrides);
        Process process = builder.start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("the demo did not finish within 8 minutes:\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    static Path cardJar(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("card-simulator/target"))) {
            return files.filter(p -> p.getFileName().toString().matches("card-simulator-.*-cli\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("card-simulator's -cli jar is missing: package it first"));
        }
    }

    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
