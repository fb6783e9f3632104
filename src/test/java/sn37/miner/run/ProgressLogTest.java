package sn37.miner.run;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress log on a real H2 database built by the shipped migrations, with a clock the test moves. */
class ProgressLogTest {
    @TempDir Path dir;
    RunDatabase db;
    RunStore store;
    ProgressLog log;
    final AtomicLong nanos = new AtomicLong(1);
    String runId;

    @BeforeEach
    void open() {
        db = RunDatabase.open(dir.resolve("pipeline"));
        store = new RunStore(db.dataSource());
        log = new ProgressLog(db.dataSource(), Clock.systemUTC(), nanos::get);
        runId = store.createRun("pipeline", "{}", "HTTP", null).run().id();
    }

    @AfterEach
    void close() {
        log.close();
        db.close();
    }

    private static String step(int i) {
        return "{\"stage\":\"train\",\"unit\":\"step\",\"done\":" + i + "}";
    }

    private List<Long> seqs(long after) {
        return log.after(runId, after, 100_000).stream().map(ProgressLog.Entry::seq).toList();
    }

    @Test
    void numbersARunsEventsInOrderAndReadsThoseAfterASeq() {
        for (int i = 1; i <= 5; i++) log.append(runId, "train", step(i), true, i, false);
        log.flush(runId);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(0));
        assertEquals(List.of(4L, 5L), seqs(3));
        assertEquals(step(4), log.after(runId, 3, 1).get(0).eventJson());
        assertEquals("train", log.after(runId, 3, 1).get(0).stage());
    }

    @Test
    void keepsEveryStepUntilTheCapThenThinsTheOlderRowsKeepingTheFirstAndTheNewest() {
        int n = ProgressLog.KEEP_PER_STAGE + 1;
        for (int i = 1; i <= n; i++) log.append(runId, "train", step(i), true, i, false);
        log.flush(runId);
        List<Long> kept = seqs(0);
        assertTrue(kept.size() <= ProgressLog.KEEP_PER_STAGE, "at most the cap: " + kept.size());
        assertEquals(1L, kept.get(0), "the first step stays");
        List<Long> newest = kept.subList(kept.size() - ProgressLog.KEEP_NEWEST, kept.size());
        for (int i = 0; i < newest.size(); i++) {
            assertEquals(n - ProgressLog.KEEP_NEWEST + 1 + i, newest.get(i), "the newest are kept whole");
        }
        assertEquals(1L + (n - ProgressLog.KEEP_NEWEST - 1) / 2 + ProgressLog.KEEP_NEWEST, kept.size(),
                "every second of the older rows went");
        // numbering goes on after a thinning and after the process reopens the log
        log.close();
        log = new ProgressLog(db.dataSource(), Clock.systemUTC(), nanos::get);
        log.append(runId, "train", step(n + 1), true, n + 1, false);
        log.flush(runId);
        assertEquals(List.of((long) n + 1), seqs(n));
    }

    @Test
    void samplesOtherEventsKeepingTheFirstALatestPerIntervalRestartsAndTheLast() {
        for (int i = 1; i <= 50; i++) log.append(runId, "evaluate", "{\"done\":" + i + "}", false, i, false);
        nanos.addAndGet(ProgressLog.SAMPLE_EVERY.toNanos());
        log.append(runId, "evaluate", "{\"done\":51}", false, 51, false);
        for (int i = 52; i <= 60; i++) log.append(runId, "evaluate", "{\"done\":" + i + "}", false, i, false);
        log.append(runId, "evaluate", "{\"done\":1}", false, 1, false); // the next task's count starts again
        log.append(runId, "evaluate", "{\"done\":2}", false, 2, false);
        log.append(runId, "evaluate", "{\"done\":400}", false, 400, true);
        log.flush(runId);
        assertEquals(List.of("{\"done\":1}", "{\"done\":51}", "{\"done\":1}", "{\"done\":400}"),
                log.after(runId, 0, 100).stream().map(ProgressLog.Entry::eventJson).toList());
    }

    @Test
    void flushWritesTheLatestSampledAwayEventSoTheStageEndsOnItsLastFigure() {
        log.append(runId, "upload", "{\"done\":10}", false, 10, false);
        log.append(runId, "upload", "{\"done\":20}", false, 20, false);
        log.flush(runId);
        assertEquals(List.of("{\"done\":10}", "{\"done\":20}"),
                log.after(runId, 0, 100).stream().map(ProgressLog.Entry::eventJson).toList());
    }
}
