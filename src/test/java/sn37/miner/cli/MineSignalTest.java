package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import sn37.miner.util.Json;
import sn37.miner.run.Run;
import sn37.miner.run.RunDatabase;
import sn37.miner.run.RunStatus;
import sn37.miner.run.RunStore;
import sn37.miner.run.StageExecution;
import sn37.miner.testing.Slow;

/**
 * Ctrl-C during {@code miner mine} (a child JVM): training stops at its next step with a checkpoint, the summary and
 * the exact resume command are printed, the exit status is 130, the run is recorded FAILED("interrupted"),
 * resumable, and the process is gone (the database opens). Where util-linux {@code script} is present the child runs
 * in a pseudo-terminal, as a person runs it, and the terminal shows one progress bar line redrawn in place, the log
 * only in the run's folder, and a summary that names the trained model; otherwise its output is behind pipes.
 */
@Slow
class MineSignalTest {
    /** A log line as logback's console pattern writes it. */
    private static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR)");
    private static final Pattern BAR = Pattern.compile("train +\\[[#.]{20}\\] \\d+/2000 loss \\d+\\.\\d{4}( \\d+ tok/s)?( ETA [0-9:]+)?");

    @TempDir Path dir;

    @Test
    void ctrlCStopsTrainingWithACheckpointPrintsTheResumeCommandAndExits130() throws Exception {
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsn37.home=" + MinerApp.home(), "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                MinerApp.class.getName(), "mine", "--offline", "--init_config", "tiny-llama", "--max_steps", "2000",
                "--batch_size", "8", "--accumulation_steps", "1", "--checkpoint_every", "1", "--data_limit", "8",
                "--pipeline.db.path=" + dir.resolve("db/pipeline"), "--pipeline.work-dir=" + dir.resolve("runs"));
        Path script = PseudoTerminal.find().orElse(null);
        ProcessBuilder pb = script == null
                ? new ProcessBuilder(java).redirectOutput(dir.resolve("out.txt").toFile())
                        .redirectError(dir.resolve("err.txt").toFile())
                : new ProcessBuilder(PseudoTerminal.command(script, java, dir.resolve("terminal.txt")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("TERM", "xterm");
        Process child = pb.start();
        try {
            awaitSecondCheckpoint(child);
            ProcessHandle miner = script == null ? child.toHandle() : PseudoTerminal.javaUnder(child);
            new ProcessBuilder("kill", "-INT", Long.toString(miner.pid())).start().waitFor();
            assertTrue(child.waitFor(2, TimeUnit.MINUTES), "mine did not exit after Ctrl-C");
        } finally {
            child.destroyForcibly();
        }
        String out = script == null ? Files.readString(dir.resolve("out.txt")) : Files.readString(dir.resolve("terminal.txt"));
        String err = script == null ? Files.readString(dir.resolve("err.txt")) : out;
        assertEquals(130, child.exitValue(), out + err);
        Matcher resume = Pattern.compile("interrupted by SIGINT; resume with: bin/miner runs resume (\\S+)").matcher(out);
        assertTrue(resume.find(), out);
        String runId = resume.group(1);
        assertTrue(out.contains("run " + runId), "the summary is printed:\n" + out);
        assertTrue(err.contains("SIGINT: stopping"), err);
        if (script != null) checkTerminal(out, runId);

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

    /**
     * The terminal as the person saw it: the bar is redrawn in place and never shares a draw with other text, no log
     * line appears anywhere (the log is in the run's folder), and the summary names the trained model.
     */
    private void checkTerminal(String screen, String runId) throws Exception {
        screen = screen.substring(screen.indexOf('\n') + 1); // script's header line: the whole command
        List<String> lines = List.of(screen.split("\n")); // only \n ends a line on a terminal; \r redraws it
        int mostRedraws = 0;
        for (String line : lines) {
            int bars = 0;
            for (String drawn : line.split("\r")) {
                String text = drawn.replace("\033[K", "");
                assertFalse(LOG_LINE.matcher(text).find(), "a log line on the terminal:\n" + screen);
                if (!text.contains("train      [")) continue;
                assertTrue(BAR.matcher(text).matches(), "the bar shares its line with [" + text + "]");
                bars++;
            }
            mostRedraws = Math.max(mostRedraws, bars);
        }
        assertTrue(mostRedraws >= 2, "the bar is redrawn in place:\n" + screen);
        Path runDir = dir.resolve("runs").resolve(runId).toAbsolutePath().normalize();
        Path log = runDir.resolve(RunLog.FILE);
        assertTrue(screen.contains("log " + log), "the log's path is printed at the start:\n" + screen);
        assertTrue(Files.readString(log).contains("train step 2/2000"), "the log went to the run's folder");
        Matcher model = Pattern.compile("(?m)^model: +(\\S+)\\r?$").matcher(screen);
        assertTrue(model.find(), "the summary names the model:\n" + screen);
        assertTrue(Files.isRegularFile(Path.of(model.group(1)).resolve("config.json")), model.group(1));
        assertTrue(screen.contains("run folder: " + runDir), screen);
    }

    private void awaitSecondCheckpoint(Process child) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("training never reached step 2");
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
