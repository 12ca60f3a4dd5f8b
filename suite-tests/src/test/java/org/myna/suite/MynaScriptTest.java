package org.myna.suite;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ./myna's own bookkeeping, without the services: its pid files (MYNA_DATA/run) name processes this test starts —
 * a zombie, an unrelated sleep — and ./myna status and down must tell them from a live service of the suite.
 * The ports are only ever asked for /q/health/ready; nothing is started on them.
 */
class MynaScriptTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path data;

    final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopWhatThisTestStarted() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aServiceWhoseProcessIsAZombieIsCrashedAndItsLogEndIsShown() throws Exception {
        long zombie = zombie();
        pidFile("registry-service", zombie + "\n" + startTime(zombie) + "\n");
        log("registry-service", "starting", "line 2", "line 3", "line 4", "line 5", "java.lang.OutOfMemoryError: Java heap space");

        String status = myna("status");

        assertThat(status).containsPattern("registry-service +crashed \\(pid " + zombie + " is a zombie")
                .contains("    line 2\n", "    java.lang.OutOfMemoryError: Java heap space\n")
                .doesNotContain("starting")
                .doesNotContain("running")
                .containsPattern("wallet-service +stopped")
                .containsPattern("health-insurance-service +stopped");
    }

    @Test
    void aZombieNamedByAPidOnlyFileIsCrashedToo() throws Exception {
        // The format older ./myna wrote: the pid alone, no start time.
        long zombie = zombie();
        pidFile("registry-service", zombie + "\n");
        log("registry-service", "killed");

        String status = myna("status");

        assertThat(status).containsPattern("registry-service +crashed \\(pid " + zombie + " is a zombie")
                .contains("    killed\n")
                .doesNotContain("running");
    }

    @Test
    void aPidFileNamingAnotherProcessIsCrashedAndDownLeavesThatProcessAlone() throws Exception {
        Process other = start("sleep", "60");
        long pid = other.pid();
        // Outlived its process (a reboot, say): the pid now names a process started at another time, and one
        // without a start time names a process that is not the service's java -jar.
        pidFile("registry-service", pid + "\n1\n");
        pidFile("wallet-service", pid + "\n");

        String status = myna("status");

        assertThat(status).containsPattern("registry-service +crashed \\(pid " + pid + " is now another process\\); no log at ")
                .containsPattern("wallet-service +crashed \\(pid " + pid + " is now another process\\)")
                .containsPattern("health-insurance-service +stopped")
                .doesNotContain("running");

        String down = myna("down");

        assertThat(down).contains("registry-service was not running", "killed nothing", "nothing was running")
                .doesNotContain("stopped registry-service", "stopped wallet-service");
        assertThat(other.isAlive()).as("the unrelated process survived ./myna down").isTrue();
        assertThat(data.resolve("run/registry-service.pid")).doesNotExist();
        assertThat(data.resolve("run/wallet-service.pid")).doesNotExist();
        assertThat(myna("status")).containsPattern("registry-service +stopped").containsPattern("wallet-service +stopped");
    }

    @Test
    void theProcessRecordedAtItsStartIsRunningAndDownStopsIt() throws Exception {
        Process ours = start("sleep", "60");
        long pid = ours.pid();
        pidFile("health-insurance-service", pid + "\n" + startTime(pid) + "\n");

        assertThat(myna("status")).containsPattern("health-insurance-service +running \\(pid " + pid + "\\) on 8083: (ready|not ready)");

        assertThat(myna("down")).contains("stopped health-insurance-service");
        assertThat(ours.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("./myna down stopped its own process").isTrue();
        assertThat(data.resolve("run/health-insurance-service.pid")).doesNotExist();
    }

    @Test
    void withoutPidFilesEveryServiceIsStopped() throws Exception {
        String status = myna("status");

        assertThat(status).containsPattern("registry-service +stopped")
                .containsPattern("wallet-service +stopped")
                .containsPattern("health-insurance-service +stopped")
                .doesNotContain("running", "crashed");
    }

    /**
     * A real zombie, as in a container whose PID 1 never reaps: a child killed with kill -9 under a parent (sleep,
     * exec'd by bash) that never waits for it. When the test ends the parent goes, and the zombie is handed to
     * whatever reaps orphans (init; where PID 1 does not reap, it stays a harmless process table entry).
     */
    long zombie() throws Exception {
        Path childPid = data.resolve("child.pid");
        start("bash", "-c", "sleep 60 & echo $! > '" + childPid + "'; exec sleep 60");
        await().atMost(WAIT).until(() -> Files.exists(childPid) && Files.readString(childPid).endsWith("\n"));
        long child = Long.parseLong(Files.readString(childPid).trim());
        ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(WAIT).until(() -> state(child).startsWith("Z"));
        return child;
    }

    /** ps's state letters for a pid: R, S, Z (zombie)...; empty when there is no such process. */
    static String state(long pid) throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("ps", "-o", "stat=", "-p", Long.toString(pid)).redirectErrorStream(true).start();
        String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return ps.waitFor() == 0 ? out : "";
    }

    /** What ./myna records next to the pid on Linux: field 22 of /proc/PID/stat, the start time in ticks since boot. */
    static String startTime(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        assumeTrue(Files.exists(stat), "start times are read from /proc (Linux)");
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(") ") + 2).trim().split(" ");
        return fields[19];
    }

    Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(process);
        return process;
    }

    void pidFile(String service, String content) throws IOException {
        Files.createDirectories(data.resolve("run"));
        Files.writeString(data.resolve("run/" + service + ".pid"), content);
    }

    void log(String service, String... lines) throws IOException {
        Files.createDirectories(data.resolve("logs"));
        Files.write(data.resolve("logs/" + service + ".log"), List.of(lines));
    }

    /** Runs ./myna COMMAND with MYNA_DATA pointing at this test's directory; its output, stderr included. */
    String myna(String command) throws IOException, InterruptedException {
        Path output = Files.createTempFile(data, "myna-" + command, ".out");
        ProcessBuilder builder = new ProcessBuilder("bash", ServiceProcess.root().resolve("myna").toString(), command)
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("MYNA_DATA", data.toString());
        Process process = builder.start();
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("./myna " + command + " did not finish within " + WAIT.toSeconds() + " s:\n" + Files.readString(output));
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("./myna " + command + ":\n" + out).isZero();
        return out;
    }
}
