package sn37.miner.run;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run store on a real H2 file database built by the shipped Flyway migrations. */
class RunStoreTest {
    @TempDir Path dir;
    RunDatabase db;
    RunStore store;

    @BeforeEach
    void open() {
        db = RunDatabase.open(dir.resolve("pipeline"));
        store = new RunStore(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Run failedRun() {
        Run run = store.createRun("pipeline", "{}", "HTTP", null).run();
        assertTrue(store.claimRun(run.id()));
        store.finishRun(run.id(), RunStatus.FAILED, "gate", "boom", null);
        return store.get(run.id());
    }

    @Test
    void sameRunKeyCreatesOneRun() {
        RunStore.Created first = store.createRun("pipeline", "{}", "SCHEDULE", "schedule:2026-11-24T00:00:00Z");
        RunStore.Created second = store.createRun("pipeline", "{}", "SCHEDULE", "schedule:2026-11-24T00:00:00Z");
        assertTrue(first.created());
        assertFalse(second.created());
        assertEquals(first.run().id(), second.run().id());
        assertEquals(1, store.list(null, 10).size());
    }

    @Test
    void claimRunSucceedsOnlyOnce() {
        Run run = store.createRun("pipeline", "{}", "HTTP", null).run();
        assertTrue(store.claimRun(run.id()));
        assertFalse(store.claimRun(run.id()));
        assertEquals(RunStatus.RUNNING, store.get(run.id()).status());
    }

    @Test
    void claimStageGivesTheSameAttemptToOneOwner() {
        Run run = store.createRun("pipeline", "{}", "HTTP", null).run();
        store.claimRun(run.id());
        assertTrue(store.claimStage(run.id(), "fetch-data", 1, "a").isPresent());
        assertTrue(store.claimStage(run.id(), "fetch-data", 1, "b").isEmpty());
    }

    @Test
    void claimStageRefusesARunThatIsNotRunning() {
        Run run = store.createRun("pipeline", "{}", "HTTP", null).run();
        assertTrue(store.claimStage(run.id(), "fetch-data", 1, "a").isEmpty());
    }

    @Test
    void resumeOfSucceededRunIsAConflict() {
        Run run = store.createRun("pipeline", "{}", "HTTP", null).run();
        store.claimRun(run.id());
        store.finishRun(run.id(), RunStatus.SUCCEEDED, null, null, null);
        RunConflictException e = assertThrows(RunConflictException.class, () -> store.resume(run.id(), false));
        assertTrue(e.getMessage().contains("already SUCCEEDED"), e.getMessage());
    }

    @Test
    void resumeStartsTheNextAttempt() {
        Run run = failedRun();
        Run resumed = store.resume(run.id(), false);
        assertEquals(RunStatus.QUEUED, resumed.status());
        assertEquals(2, resumed.attempt());
        assertNull(resumed.nextRetryAt());
    }

    @Test
    void twoConcurrentResumesLetExactlyOneWin() throws Exception {
        for (int round = 0; round < 20; round++) {
            Run run = failedRun();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Callable<Boolean> resume = () -> {
                go.await();
                try {
                    store.resume(run.id(), false);
                    return true;
                } catch (RunConflictException e) {
                    return false;
                }
            };
            Future<Boolean> a = pool.submit(resume);
            Future<Boolean> b = pool.submit(resume);
            go.countDown();
            int wins = (a.get() ? 1 : 0) + (b.get() ? 1 : 0);
            pool.shutdown();
            assertEquals(1, wins, "round " + round);
            assertEquals(2, store.get(run.id()).attempt());
        }
    }

    @Test
    void recoverInterruptedMarksRunningRunsAndStagesFailed() {
        Run run = store.createRun("pipeline", "{}", "HTTP", null).run();
        store.claimRun(run.id());
        store.claimStage(run.id(), "fetch-data", 1, "dead-process");
        assertEquals(List.of(run.id()), store.recoverInterrupted());
        Run after = store.get(run.id());
        assertEquals(RunStatus.FAILED, after.status());
        assertEquals("interrupted", after.lastError());
        assertEquals("fetch-data", after.failedStage());
        assertEquals(StageStatus.FAILED, store.latestStage(run.id(), "fetch-data").orElseThrow().status());
    }

    @Test
    void cancelOfQueuedRunIsImmediateAndOfFinishedRunIsAConflict() {
        Run run = store.createRun("pipeline", "{}", "HTTP", null).run();
        assertEquals(RunStatus.CANCELLED, store.requestCancel(run.id()).status());
        assertFalse(store.claimRun(run.id()));
        Run done = store.createRun("pipeline", "{}", "HTTP", null).run();
        store.claimRun(done.id());
        store.finishRun(done.id(), RunStatus.REJECTED, null, "no", null);
        assertThrows(RunConflictException.class, () -> store.requestCancel(done.id()));
    }

    @Test
    void stageSucceededRecordsOutputsAndArtifactsTogether() {
        Run run = store.createRun("pipeline", "{}", "HTTP", null).run();
        store.claimRun(run.id());
        StageExecution exec = store.claimStage(run.id(), "fetch-data", 1, "me").orElseThrow();
        store.stageSucceeded(exec, "{\"kept\":3}", List.of(
                new ArtifactRecord(run.id(), "snap", null, "/x/snap.jsonl", 12, "ab".repeat(32), null)));
        StageExecution done = store.latestStage(run.id(), "fetch-data").orElseThrow();
        assertEquals(StageStatus.SUCCEEDED, done.status());
        assertEquals("{\"kept\":3}", done.outputsJson());
        ArtifactRecord a = store.artifacts(run.id()).get(0);
        assertEquals("fetch-data", a.stage());
        assertEquals(12, a.sizeBytes());
    }

    @Test
    void dueForRetryHonoursStagesCapAndBackoff() {
        Run run = store.createRun("pipeline", "{}", "HTTP", null).run();
        store.claimRun(run.id());
        store.finishRun(run.id(), RunStatus.FAILED, "upload", "503", java.time.Instant.now().plusSeconds(3600));
        assertTrue(store.dueForRetry(List.of("upload", "commit"), 5).isEmpty(), "backoff not elapsed");
        Run other = failedRun();
        assertTrue(store.dueForRetry(List.of("upload", "commit"), 5).stream().noneMatch(r -> r.id().equals(other.id())),
                "a gate failure is not retried by the sweeper");
        assertTrue(store.dueForRetry(List.of("upload"), 0).isEmpty(), "cap 0 retries nothing");
    }

    @Test
    void externalEffectIsIntendedOnceThenConfirmed() {
        Run run = store.createRun("pipeline", "{}", "HTTP", null).run();
        ExternalEffect first = store.intendEffect("hf:a/b:p:x", run.id(), "upload", "{\"parent\":\"p\"}");
        ExternalEffect again = store.intendEffect("hf:a/b:p:x", run.id(), "upload", "{\"parent\":\"other\"}");
        assertEquals(EffectStatus.INTENDED, again.status());
        assertEquals(first.requestJson(), again.requestJson());
        store.confirmEffect("hf:a/b:p:x", "{\"commit\":\"c\"}");
        assertEquals(EffectStatus.CONFIRMED, store.findEffect("hf:a/b:p:x").orElseThrow().status());
        assertThrows(RunConflictException.class, () -> store.confirmEffect("hf:a/b:p:x", "{}"));
    }
}
