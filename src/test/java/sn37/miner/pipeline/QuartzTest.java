package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;
import sn37.miner.run.RunStore;
import sn37.miner.testing.Slow;

/** The run schedule and the retry sweeper, both driven by camel-quartz. */
@Slow
class QuartzTest {
    @TempDir Path dir;

    @Test
    void doubleFireOfTheSameSlotEnqueuesOneRun() throws Exception {
        try (TestServer t = TestServer.start(dir)) {
            ScheduledTrigger trigger = t.server.context().getRegistry().lookupByNameAndType("scheduledTrigger",
                    ScheduledTrigger.class);
            Instant slot = Instant.parse("2026-11-24T06:00:00Z");
            RunStore.Created first = trigger.fire(slot);
            RunStore.Created second = trigger.fire(slot);
            assertTrue(first.created());
            assertFalse(second.created());
            assertEquals(first.run().id(), second.run().id());
            long scheduled = t.server.store().list(null, 100).stream().filter(r -> r.trigger().equals("SCHEDULE")).count();
            assertEquals(1, scheduled);
            assertEquals("schedule:2026-11-24T06:00:00Z", t.server.store().get(first.run().id()).runKey());
        }
    }

    @Test
    void enabledScheduleFiresRunsKeyedByFireTime() throws Exception {
        Map<String, String> o = Map.of("pipeline.schedule.enabled", "true", "pipeline.schedule.cron", "0/1 * * * * ?",
                "pipeline.schedule.params", "{\"offline\": true, \"avg_loss_upload_threshold\": 0.5}");
        try (TestServer t = TestServer.start(TestServer.settings(dir, o), TestServer.builtIn())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<Run> runs = List.of();
            while (System.nanoTime() < deadline && runs.size() < 2) {
                Thread.sleep(200);
                runs = t.server.store().list(null, 100).stream().filter(r -> r.trigger().equals("SCHEDULE")).toList();
            }
            assertTrue(runs.size() >= 2, "schedule fired " + runs.size() + " times");
            assertEquals(runs.size(), runs.stream().map(Run::runKey).distinct().count(), "one run per fire time");
            Run done = t.awaitFinished(runs.get(runs.size() - 1).id(), Duration.ofSeconds(30));
            assertEquals(RunStatus.SUCCEEDED, done.status(), done.lastError());
        }
    }

    @Test
    void sweeperResumesAFailedUploadWithBackoffAndStopsAtTheCap() throws Exception {
        TestStages.AlwaysFailing upload = new TestStages.AlwaysFailing("upload");
        Map<String, String> o = Map.of("pipeline.sweeper.enabled", "true", "pipeline.sweeper.cron", "0/1 * * * * ?",
                "pipeline.sweeper.max-retries", "2", "pipeline.sweeper.backoff-base-seconds", "1",
                "pipeline.sweeper.backoff-max-seconds", "2");
        try (TestServer t = TestServer.start(TestServer.settings(dir, o), TestServer.withExtra(upload))) {
            String runId = Json.mapper().readTree(t.post("/api/stages/upload", "{}").body()).get("runId").asText();
            Run failed = t.awaitStatus(runId, RunStatus.FAILED, Duration.ofSeconds(20));
            assertEquals("upload", failed.failedStage());
            assertNotNull(failed.nextRetryAt(), "a failed upload is scheduled for an automatic retry");

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Run r = failed;
            while (System.nanoTime() < deadline && !(r.autoRetries() == 2 && r.status() == RunStatus.FAILED)) {
                Thread.sleep(200);
                r = t.server.store().get(runId);
            }
            assertEquals(2, r.autoRetries(), "two automatic resumes");
            assertEquals(3, r.attempt());
            assertEquals(RunStatus.FAILED, r.status());
            assertNull(r.nextRetryAt(), "the cap is reached: no further retry is scheduled");
            Thread.sleep(2500);
            assertEquals(3, upload.runs.get(), "the sweeper stopped after the cap");
            assertEquals(3, t.server.store().get(runId).attempt());
        }
    }

    @Test
    void sweeperLeavesFailuresOfOtherStagesAlone() throws Exception {
        try (TestServer t = TestServer.start(dir)) {
            Path bad = java.nio.file.Files.writeString(dir.resolve("bad.jsonl"), "not json\n");
            String body = "{\"offline\": true, \"data_path\": " + Json.mapper().writeValueAsString(bad.toString()) + "}";
            String runId = Json.mapper().readTree(t.post("/api/runs", body).body()).get("runId").asText();
            assertEquals(RunStatus.FAILED, t.awaitFinished(runId, Duration.ofSeconds(30)).status());
            RetrySweeper sweeper = t.server.context().getRegistry().lookupByNameAndType("retrySweeper", RetrySweeper.class);
            assertTrue(sweeper.sweep().isEmpty());
            assertEquals(1, t.server.store().get(runId).attempt());
        }
    }
}
