package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.MinerApp;
import sn37.miner.netwatch.LoopbackOnlySecurityManager;
import sn37.miner.netwatch.ProcSocketWatcher;
import sn37.miner.testing.Slow;

/**
 * The README's offline demo ({@code bin/miner mine --offline --init_config tiny-llama ...}, with 2 steps) opens no
 * socket other than loopback. It runs once in a child JVM, as bin/miner starts it, watched twice: a SecurityManager
 * that records and refuses every Java network operation with a non-loopback address, and a /proc poller that sees
 * every inet socket the process holds, native ones (libtorch) included.
 */
@EnabledOnOs(OS.LINUX)
@Slow
class OfflineDemoNoNetworkTest {
    private static final double THRESHOLD = 0.99;

    @TempDir static Path dir;
    static int exitCode;
    static String out;
    static String err;
    static List<String> networkChecks;
    static ProcSocketWatcher watcher;

    @BeforeAll
    static void runTheDemoInAWatchedChildJvm() throws Exception {
        Path checks = dir.resolve("network-checks.txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.manager=" + LoopbackOnlySecurityManager.class.getName(),
                "-D" + LoopbackOnlySecurityManager.LOG_PROPERTY + "=" + checks,
                "-Dsn37.home=" + MinerApp.home(), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), MinerApp.class.getName(),
                "mine", "--offline", "--init_config", "tiny-llama", "--max_steps", "2", "--batch_size", "8",
                "--accumulation_steps", "1", "--lr", "0.003", "--avg_loss_upload_threshold", Double.toString(THRESHOLD),
                "--pipeline.db.path=" + dir.resolve("db/pipeline"), "--pipeline.work-dir=" + dir.resolve("runs")));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process child = pb.start();
        watcher = ProcSocketWatcher.start(child.toHandle(), Duration.ofMillis(50));
        try {
            if (!child.waitFor(5, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                fail("the offline demo did not finish in 5 minutes");
            }
        } finally {
            watcher.close();
        }
        exitCode = child.exitValue();
        out = Files.readString(dir.resolve("out.txt"));
        err = Files.readString(dir.resolve("err.txt"));
        networkChecks = Files.exists(checks) ? Files.readAllLines(checks) : List.of();
    }

    private static Matcher stageLine(String stage, String status) {
        Matcher m = Pattern.compile("(?m)^" + stage + " +" + status + " +(\\d+\\.\\d\\d)  (.*)$").matcher(out);
        assertTrue(m.find(), stage + " " + status + " with its seconds missing from:\n" + out + err);
        return m;
    }

    @Test
    void demoExitsZeroWithEveryStageItsDurationAndTheRunSucceeded() {
        assertEquals(0, exitCode, out + err);
        assertTrue(out.matches("(?s)run \\S+  pipeline  SUCCEEDED  \\(attempt 1\\).*"), out);
        for (String stage : List.of("fetch-data", "load-model", "train", "evaluate", "gate")) {
            stageLine(stage, "SUCCEEDED");
        }
        assertEquals("offline: nothing is published", stageLine("upload", "SKIPPED").group(2));
        assertEquals("offline: nothing is published", stageLine("commit", "SKIPPED").group(2));
    }

    @Test
    void summaryShowsTheLossEndpointsTheMetricAndTheGateDecision() {
        Matcher train = Pattern.compile("2 steps, loss (\\d+\\.\\d+) -> (\\d+\\.\\d+)")
                .matcher(stageLine("train", "SUCCEEDED").group(2));
        assertTrue(train.find(), out);
        assertTrue(Double.parseDouble(train.group(1)) > 0 && Double.parseDouble(train.group(2)) > 0, out);

        Matcher metric = Pattern.compile("^metric (\\d\\.\\d+) \\(MC deviation").matcher(
                stageLine("evaluate", "SUCCEEDED").group(2));
        assertTrue(metric.find(), out);
        double score = Double.parseDouble(metric.group(1));
        assertTrue(score < THRESHOLD, "the demo's threshold is meant to pass: " + out);
        assertEquals("PASSED: metric " + metric.group(1) + " < threshold " + THRESHOLD,
                stageLine("gate", "SUCCEEDED").group(2));
    }

    @Test
    void loggingConfigurationLoadsWithoutErrors() {
        assertFalse(err.contains("ERROR in ch.qos.logback"), err);
    }

    @Test
    void securityManagerWasInstalledAndSawNoNonLoopbackNetworkOperation() {
        assertFalse(networkChecks.isEmpty(), "no network log written: " + err);
        assertEquals(LoopbackOnlySecurityManager.INSTALLED, networkChecks.get(0));
        assertTrue(err.contains("has enabled the Security Manager"), err);
        List<String> refused = networkChecks.stream()
                .filter(l -> l.startsWith(LoopbackOnlySecurityManager.REFUSED)).toList();
        assertEquals(List.of(), refused, String.join("\n", networkChecks));
    }

    @Test
    void procWatcherSampledTheChildThroughoutAndSawNoNonLoopbackSocket() {
        assertNull(watcher.failure());
        assertTrue(watcher.samples() >= 5, "only " + watcher.samples() + " samples");
        assertEquals(List.of(), watcher.violations(), "all sockets seen: " + watcher.seen());
    }
}
