package sn37.miner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.testing.Slow;

/**
 * SIGTERM to {@code miner serve} (as a service manager stops it) while a run trains: training stops at its next
 * step with a checkpoint, the run is recorded FAILED("interrupted") with the resume command, the process exits 0,
 * and the database lock is released so the next server opens it.
 */
@Slow
class ServeSignalTest {
    @TempDir Path dir;

    static Map<String, Object> longOfflineRun(int steps) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("offline", true);
        p.put("init_config", "tiny-llama");
        p.put("max_steps", steps);
        p.put("batch_size", 8);
        p.put("accumulation_steps", 1);
        p.put("checkpoint_every", 1);
        p.put("lr", 0.003);
        return p;
    }

    /** Waits until the run's training has written checkpoint {@code step}: training is under way. */
    static void awaitCheckpoint(ServerProcess server, Path work, String runId, int step) throws Exception {
        Path checkpoint = work.resolve(runId).resolve("train/checkpoints").resolve(String.format("step-%08d", step));
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!Files.exists(checkpoint.resolve("DONE"))) {
            if (!server.process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("training never reached step " + step + ":\n" + server.logTail());
            }
            Thread.sleep(10);
        }
    }

    @Test
    void sigtermStopsTrainingWithACheckpointExitsZeroAndReleasesTheDatabase() throws Exception {
        Map<String, String> settings = Map.of();
        String runId;
        try (ServerProcess first = ServerProcess.start(dir, settings, Map.of(), null)) {
            runId = first.api.submit(longOfflineRun(2000));
            awaitCheckpoint(first, dir.resolve("runs"), runId, 2);
            first.process.destroy(); // SIGTERM
            assertTrue(first.process.waitFor(2, TimeUnit.MINUTES), "serve did not exit after SIGTERM");
            assertEquals(0, first.process.exitValue(), first.logTail());
            assertTrue(first.logTail().contains("SIGTERM: stopping"), first.logTail());
        }
        // The next server opens the same database: the lock was released.
        try (ServerProcess second = ServerProcess.start(dir, settings, Map.of(), null)) {
            JsonNode run = second.api.run(runId);
            assertEquals("FAILED", run.get("status").asText());
            String error = run.get("lastError").asText();
            assertTrue(error.startsWith("interrupted: the process was stopped (SIGTERM) during stage train"), error);
            assertTrue(error.contains("bin/miner runs resume " + runId), error);
            JsonNode train = stage(run, "train");
            assertEquals("CANCELLED", train.get("status").asText(), train.toString());
            int steps = train.get("outputs").get("steps").asInt();
            assertTrue(steps >= 2 && steps < 2000, train.toString());
            Path checkpoint = Path.of(train.get("outputs").get("checkpointDir").asText());
            assertEquals(String.format("step-%08d", steps), checkpoint.getFileName().toString());
            assertTrue(Files.exists(checkpoint.resolve("DONE")), "the checkpoint at the stop is complete");
        }
    }

    /** Waits until the server's journal shows {@code stage} stuck at its crash point (it never polls for a stop). */
    static void awaitStuckIn(ServerProcess server, Path dir, String stage) throws Exception {
        Path journal = dir.resolve("journal.txt");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!Files.exists(journal) || !Files.readString(journal).contains("crash-point before:" + stage)) {
            if (!server.process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(stage + " never started:\n" + server.logTail());
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aStageThatDoesNotStopIsForcedOnceTheShutdownTimeoutHasPassed() throws Exception {
        String runId;
        try (ServerProcess first = ServerProcess.start(dir, Map.of("camel.main.shutdown-timeout", "1"), Map.of(),
                "train")) {
            runId = first.api.submit(longOfflineRun(10));
            awaitStuckIn(first, dir, "train");
            assertEquals(130, first.signalAndAwaitExit("TERM", Duration.ofMinutes(2)), first.logTail());
            assertTrue(first.logTail().contains("did not stop within camel.main.shutdown-timeout (1 s)"),
                    first.logTail());
        }
        try (ServerProcess second = ServerProcess.start(dir, Map.of(), Map.of(), null)) {
            JsonNode run = second.api.run(runId);
            assertEquals("FAILED", run.get("status").asText());
            assertEquals("interrupted", run.get("lastError").asText());
        }
    }

    @Test
    void aSecondCtrlCForcesTheStopAtOnce() throws Exception {
        String runId;
        try (ServerProcess first = ServerProcess.start(dir, Map.of("camel.main.shutdown-timeout", "3600"), Map.of(),
                "train")) {
            runId = first.api.submit(longOfflineRun(10));
            awaitStuckIn(first, dir, "train");
            new ProcessBuilder("kill", "-INT", Long.toString(first.process.pid())).start().waitFor();
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!first.logTail().contains("SIGINT: stopping") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // The first Ctrl-C waits up to an hour for train to stop; the second does not wait.
            assertEquals(130, first.signalAndAwaitExit("INT", Duration.ofMinutes(2)), first.logTail());
            assertTrue(first.logTail().contains("forcing the stop: SIGINT again"), first.logTail());
            assertTrue(first.logTail().contains("run " + runId + " marked FAILED(interrupted); resume it with"
                    + " `bin/miner runs resume " + runId + "`"), first.logTail());
        }
        try (ServerProcess second = ServerProcess.start(dir, Map.of(), Map.of(), null)) {
            assertEquals("FAILED", second.api.run(runId).get("status").asText());
        }
    }

    static JsonNode stage(JsonNode run, String name) {
        JsonNode found = null;
        for (JsonNode s : run.get("stages")) {
            if (s.get("stage").asText().equals(name)) found = s;
        }
        if (found == null) throw new AssertionError("no stage " + name + " in " + run);
        return found;
    }
}
