package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.run.RunDatabase;
import sn37.miner.run.RunStore;
import sn37.miner.testing.Slow;

/** What the read-only commands print reaches a pipe before the process exits (child JVM, stdout piped). */
@Slow
class CliOutputTest {
    @TempDir static Path dir;
    static String runId;

    @BeforeAll
    static void recordOneRun() {
        try (RunDatabase db = RunDatabase.open(dir.resolve("db/pipeline"))) {
            runId = new RunStore(db.dataSource()).createRun("pipeline", "{\"offline\":true}", "api", null).run().id();
        }
    }

    private static CliProcess.Result miner(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--pipeline.db.path=" + dir.resolve("db/pipeline"));
        all.add("--pipeline.work-dir=" + dir.resolve("runs"));
        return CliProcess.run(all);
    }

    @Test
    void runsShowPrintsTheRunThroughAPipe() {
        CliProcess.Result r = miner("runs", "show", runId);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("run " + runId + "  pipeline  QUEUED"), "stdout: [" + r.out() + "] " + r.err());
    }

    @Test
    void runsShowJsonPrintsTheWholeRecordThroughAPipe() {
        CliProcess.Result r = miner("runs", "show", "--json", runId);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().strip().startsWith("{") && r.out().strip().endsWith("}"), "stdout: [" + r.out() + "] " + r.err());
        assertTrue(r.out().contains("\"id\" : \"" + runId + "\""), r.out());
    }

    @Test
    void mineListCompetitionsPrintsTheScheduleThroughAPipe() {
        CliProcess.Result r = CliProcess.run(List.of("mine", "--list_competitions"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("B7_MULTI_CHOICE"), "stdout: [" + r.out() + "] " + r.err());
    }

    @Test
    void uploadListCompetitionsPrintsTheScheduleThroughAPipe() {
        CliProcess.Result r = CliProcess.run(List.of("upload", "--list_competitions"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("B7_MULTI_CHOICE"), "stdout: [" + r.out() + "] " + r.err());
    }

    @Test
    void competitionsAndRunsListPrintThroughAPipe() {
        assertTrue(CliProcess.run(List.of("competitions")).out().contains("DISTILLED_REASONING_3B"));
        assertTrue(miner("runs", "list").out().contains(runId));
    }
}
