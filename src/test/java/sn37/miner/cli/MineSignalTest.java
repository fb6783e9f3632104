package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.MinerApp;
import sn37.miner.config.Json;
import sn37.miner.run.Run;
import sn37.miner.run.RunDatabase;
import sn37.miner.run.RunStatus;
import sn37.miner.run.RunStore;
import sn37.miner.run.StageExecution;
import sn37.miner.testing.Slow;

/**
 * Ctrl-C during {@code miner mine} (a child JVM, its output behind pipes): training stops at its next step with a
 * checkpoint, the summary and the exact resume command are printed, the exit status is 130, the run is recorded
 * FAILED("interrupted"), resumable, and the process is gone (the database opens).
 */
@Slow
class MineSignalTest {
    @TempDir Path dir;

    @Test
    void ctrlCStopsTrainingWithACheckpointPrintsTheResumeCommandAndExits130() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsn37.home=" + MinerApp.home(), "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                MinerApp.class.getName(), "mine", "--offline", "--init_config", "tiny-llama", "--max_steps", "2000",
                "--batch_size", "8", "--accumulation_steps", "1", "--checkpoint_every", "1",
                "--pipeline.db.path=" + dir.resolve("db/pipeline"), "--pipeline.work-dir=" + dir.resolve("runs"))
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process child = pb.start();
        try {
            awaitSecondCheckpoint(child);
            new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
            assertTrue(child.waitFor(2, TimeUnit.MINUTES), "mine did not exit after Ctrl-C");
        } finally {
            child.destroyForcibly();
        }
        String out = Files.readString(dir.resolve("out.txt"));
        String err = Files.readString(dir.resolve("err.txt"));
        assertEquals(130, child.exitValue(), out + err);
        Matcher resume = Pattern.compile("interrupted by SIGINT; resume with: bin/miner runs resume (\\S+)").matcher(out);
        assertTrue(resume.find(), out);
        String runId = resume.group(1);
        assertTrue(out.contains("run " + runId), "the summary is printed:\n" + out);
        assertTrue(err.contains("SIGINT: stopping"), err);

        try (RunDatabase db = RunDatabase.open(dir.resolve("db/pipeline"))) {
            RunStore store = new RunStore(db.dataSource());
            Run run = store.get(runId);
            assertEquals(RunStatus.FAILED, run.status());
            assertTrue(run.lastError().startsWith("interrupted"), run.lastError());
            assertTrue(run.status().isResumable());
            StageExecution train = store.latestStage(runId, "train").orElseThrow();
            assertEquals("CANCELLED", train.status().name());
            JsonNode outputs = Json.mapper().readTree(train.outputsJson());
            int steps = outputs.get("steps").asInt();
            assertTrue(steps >= 2 && steps < 2000, outputs.toString());
            Path checkpoint = Path.of(outputs.get("checkpointDir").asText());
            assertEquals(String.format("step-%08d", steps), checkpoint.getFileName().toString());
            assertTrue(Files.exists(checkpoint.resolve("DONE")), "the checkpoint at the stop is complete");
            assertTrue(store.latestStage(runId, "evaluate").isEmpty(), "nothing ran after the stop");
        }
    }

    private void awaitSecondCheckpoint(Process child) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("training never reached step 2:\n" + Files.readString(dir.resolve("err.txt")));
            }
            if (Files.isDirectory(dir.resolve("runs"))) {
                try (Stream<Path> files = Files.walk(dir.resolve("runs"))) {
                    List<Path> done = files.filter(p -> p.endsWith(Path.of("step-00000002", "DONE"))).toList();
                    if (!done.isEmpty()) return;
                } catch (java.io.UncheckedIOException racing) {
                    // a partial checkpoint directory was renamed while walking
                }
            }
            Thread.sleep(10);
        }
    }
}
